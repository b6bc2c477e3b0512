// Builds the navigation after load, from a JSON file: the links exist only in the rendered DOM.
window.addEventListener("load", function () {
  fetch("nav.json").then(function (r) { return r.json(); }).then(function (items) {
    var nav = document.getElementById("menu");
    items.forEach(function (item) {
      var a = document.createElement("a");
      a.href = item.path;
      a.textContent = item.label;
      nav.appendChild(a);
      nav.appendChild(document.createTextNode(" "));
    });
  });
});
