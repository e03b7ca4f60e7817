// Eleventy side of the benchmark: the same site as sitegen's bench corpus, built the way an
// Eleventy developer would: a page tree worked out once (a collection), Nunjucks layouts for
// the menu, breadcrumbs and cards, and links written as relative .md paths made page URLs.
const path = require("node:path");

module.exports = function (config) {
  config.addGlobalData("layout", "base.njk");
  config.addGlobalData("site", { title: "Bench", base: "https://www.example.se/bench" });

  // url -> node {title, url, ingress, weight, parent, children}; one pass over every page.
  config.addCollection("tree", (api) => {
    const nodes = new Map();
    for (const item of api.getAll()) {
      nodes.set(item.url, { title: item.data.title, url: item.url, ingress: item.data.ingress,
                            weight: item.data.weight || 0, children: [] });
    }
    const up = (url) => (url === "/" ? null : url.replace(/[^/]+\/$/, ""));   // "/a/b/" -> "/a/"
    for (const node of nodes.values()) {
      let parent = up(node.url);
      while (parent && !nodes.has(parent)) parent = up(parent);
      node.parent = parent ? nodes.get(parent) : null;
      if (node.parent) node.parent.children.push(node);
    }
    for (const node of nodes.values()) {
      node.children.sort((a, b) => a.weight - b.weight || a.title.localeCompare(b.title, "sv"));
      node.ancestors = [];
      for (let p = node.parent; p; p = p.parent) node.ancestors.unshift(p);
    }
    return Object.fromEntries(nodes);
  });

  // [text](../a/b.md) -> /a/b/ and [text](a/index.md) -> /a/, relative to the page's source.
  config.addTransform("md-links", function (content) {
    if (!(this.page.outputPath || "").endsWith(".html")) return content;
    const folder = path.posix.dirname(this.page.inputPath.replace(/^\.\/content\//, "/"));
    return content.replace(/href="([^":#]+)\.md"/g, (match, target) => {
      let url = path.posix.normalize(path.posix.join(folder, target));
      url = url.endsWith("/index") ? url.slice(0, -"index".length) : url + "/";
      return `href="${url}"`;
    });
  });

  return { dir: { input: "content", includes: "../_includes", output: "_site" },
           markdownTemplateEngine: false };
};
