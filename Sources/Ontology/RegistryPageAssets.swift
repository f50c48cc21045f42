/// The style sheet and script of the registry page, inlined so that the page loads nothing from outside.
enum RegistryPageAssets {
    static let style = """
        body { font-family: sans-serif; margin: 1.5em; color: #222; }
        h1 { font-size: 1.4em; margin-bottom: 0.2em; }
        p.about { max-width: 60em; color: #444; }
        form#filters { display: flex; gap: 1.5em; flex-wrap: wrap; align-items: center; margin: 1em 0 0.5em; }
        form#filters label { font-weight: bold; }
        form#filters select, form#filters input { margin-left: 0.4em; }
        p#shown { margin: 0.4em 0 0.8em; color: #444; }
        table#registry { border-collapse: collapse; width: 100%; }
        table#registry th, table#registry td { border-bottom: 1px solid #ddd; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
        table#registry th button { font: inherit; font-weight: bold; background: none; border: none; padding: 0; cursor: pointer; }
        table#registry th[aria-sort="ascending"] button::after { content: " \\25B2"; }
        table#registry th[aria-sort="descending"] button::after { content: " \\25BC"; }
        table#registry td.number { text-align: right; font-variant-numeric: tabular-nums; }
        table#registry td.overall { font-weight: bold; }
        .focus { display: block; color: #555; font-size: 0.9em; max-width: 32em; }
        details.chart[open] svg { width: 360px; height: auto; }
        """

    /// Filters and sort order are read from the URL fragment (`#domain=...&motif=...&min=3&sort=overall&order=desc`)
    /// and written back to it, so a filtered view is a link, and a headless browser given such a URL
    /// (`chromium --headless --dump-dom`) shows the filtered rows without a browser driver.
    static let script = """
        (function () {
          "use strict";
          var table = document.getElementById("registry");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          var domain = document.getElementById("filter-domain");
          var motif = document.getElementById("filter-motif");
          var minimum = document.getElementById("filter-min");
          var shown = document.getElementById("shown");
          var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
          var sortKey = "overall";
          var descending = true;

          function readFragment() {
            var state = {};
            location.hash.replace(/^#/, "").split("&").forEach(function (part) {
              if (!part) { return; }
              var at = part.indexOf("=");
              var key = decodeURIComponent(at < 0 ? part : part.slice(0, at));
              state[key] = at < 0 ? "" : decodeURIComponent(part.slice(at + 1).replace(/\\+/g, " "));
            });
            return state;
          }

          function writeFragment() {
            var parts = [];
            if (domain.value) { parts.push("domain=" + encodeURIComponent(domain.value)); }
            if (motif.value) { parts.push("motif=" + encodeURIComponent(motif.value)); }
            if (parseFloat(minimum.value) > 0) { parts.push("min=" + encodeURIComponent(minimum.value)); }
            parts.push("sort=" + encodeURIComponent(sortKey), "order=" + (descending ? "desc" : "asc"));
            history.replaceState(null, "", "#" + parts.join("&"));
          }

          function holds(list, value) {
            return value === "" || list.split("|").indexOf(value) >= 0;
          }

          function filter() {
            var least = parseFloat(minimum.value);
            if (isNaN(least)) { least = 0; }
            var count = 0;
            rows.forEach(function (row) {
              var visible = holds(row.getAttribute("data-domains"), domain.value)
                && holds(row.getAttribute("data-motifs"), motif.value)
                && parseFloat(row.getAttribute("data-overall")) >= least;
              row.hidden = !visible;
              if (visible) { count += 1; }
            });
            shown.textContent = count + " of " + rows.length + " entries shown";
          }

          function sort() {
            var header = headers.filter(function (cell) { return cell.getAttribute("data-key") === sortKey; })[0];
            var numeric = header && header.getAttribute("data-type") === "number";
            rows.sort(function (a, b) {
              var x = a.getAttribute("data-" + sortKey) || "";
              var y = b.getAttribute("data-" + sortKey) || "";
              var order = numeric ? parseFloat(x) - parseFloat(y) : (x < y ? -1 : (x > y ? 1 : 0));
              if (descending) { order = -order; }
              if (order === 0) {
                var p = a.getAttribute("data-name");
                var q = b.getAttribute("data-name");
                order = p < q ? -1 : (p > q ? 1 : 0);
              }
              return order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
            headers.forEach(function (cell) {
              if (!cell.getAttribute("data-key")) { return; }
              cell.setAttribute("aria-sort", cell === header ? (descending ? "descending" : "ascending") : "none");
            });
          }

          function fromFragment() {
            var state = readFragment();
            domain.value = state.domain || "";
            motif.value = state.motif || "";
            minimum.value = state.min || "0";
            if (state.sort && headers.some(function (cell) { return cell.getAttribute("data-key") === state.sort; })) {
              sortKey = state.sort;
            }
            if (state.order === "asc" || state.order === "desc") { descending = state.order === "desc"; }
            if (state.charts === "open") {
              Array.prototype.forEach.call(document.querySelectorAll("details.chart"), function (d) { d.open = true; });
            }
            sort();
            filter();
          }

          [domain, motif, minimum].forEach(function (control) {
            control.addEventListener("input", function () { filter(); writeFragment(); });
            control.addEventListener("change", function () { filter(); writeFragment(); });
          });
          headers.forEach(function (cell) {
            var button = cell.querySelector("button");
            if (!button) { return; }
            button.addEventListener("click", function () {
              var key = cell.getAttribute("data-key");
              descending = key === sortKey ? !descending : cell.getAttribute("data-type") === "number";
              sortKey = key;
              sort();
              writeFragment();
            });
          });
          window.addEventListener("hashchange", fromFragment);
          fromFragment();
        })();
        """
}
