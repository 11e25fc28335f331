// The Kompass Graph query page: YASGUI configured for this server's /sparql endpoint.
// The server writes the configuration (endpoint, prefixes, default query, examples)
// into the page as JSON; see kompass_graph/web/ui.py.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("kg-query-config").textContent);
  // Same origin as the page: the Content-Security-Policy allows no other.
  const endpoint = new URL(config.endpoint, window.location.href).href;

  // Completion for "PREFIX kg" and automatic declaration of a prefix typed in the
  // query body, from our own list instead of YASQE's bundled prefix.cc snapshot.
  const prefixDeclarations = Object.entries(config.prefixes)
    .map(([prefix, iri]) => `${prefix}: <${iri}>`)
    .sort();
  Yasgui.Yasqe.forkAutocompleter(
    "prefixes",
    {
      name: "kompass-prefixes",
      persistenceId: null,
      get: () => Promise.resolve(prefixDeclarations),
    },
    false,
  );

  // Only completers that work offline: LOV-backed class and property lookups would
  // send the query text to a third party. Set on the defaults because YASGUI merges
  // arrays index by index, so a shorter list in the config would not replace them.
  const offlineCompleters = ["kompass-prefixes", "variables"];
  Yasgui.Yasqe.defaults.autocompleters = offlineCompleters;

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    // The page's own URL is the SPARQL endpoint: ?query=… there answers the query
    // instead of opening this page, so YASGUI must not read or write such links.
    populateFromUrl: false,
    yasqe: {
      value: config.defaultQuery,
      autocompleters: offlineCompleters,
      prefixCcApi: null,
      createShareableLink: null,
    },
    yasr: { prefixes: config.prefixes },
  });

  // The page belongs to this endpoint, and the Content-Security-Policy lets it talk to
  // no other: the endpoint field is shown, but cannot be edited or cleared.
  function lockEndpointFields() {
    for (const field of document.querySelectorAll(".yasgui .controlbar input.autocomplete")) {
      field.readOnly = true;
      field.title = "This page queries its own endpoint.";
    }
  }
  lockEndpointFields();
  yasgui.on("tabChange", () => window.setTimeout(lockEndpointFields));
  yasgui.on("tabSelect", () => window.setTimeout(lockEndpointFields));

  const examplesByName = new Map(config.examples.map((example) => [example.name, example]));

  function openExample(name) {
    const example = examplesByName.get(name);
    if (example === undefined) {
      return;
    }
    const tab = yasgui.addTab(
      true,
      { name: example.title, yasqe: { value: example.text } },
      { avoidDuplicateTabs: true },
    );
    tab.show();
    for (const button of document.querySelectorAll(".kg-example")) {
      button.setAttribute("aria-pressed", String(button.dataset.example === name));
    }
  }

  for (const button of document.querySelectorAll(".kg-example")) {
    button.addEventListener("click", () => openExample(button.dataset.example));
  }

  // A link can hand this page a query to show, not run: /sparql#query=<urlencoded>
  // (the resource pages' "open in the query UI"). A fragment never reaches the server;
  // /sparql?query=… would answer the query instead of opening this page.
  function openLinkedQuery() {
    const text = new URLSearchParams(window.location.hash.slice(1)).get("query");
    if (text === null || text.trim() === "") {
      return;
    }
    const tab = yasgui.addTab(
      true,
      { name: "Linked query", yasqe: { value: text } },
      { avoidDuplicateTabs: true },
    );
    tab.show();
  }
  openLinkedQuery();
  window.addEventListener("hashchange", openLinkedQuery);
})();
