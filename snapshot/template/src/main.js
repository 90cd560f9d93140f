import "./style.css";

const app = document.querySelector("#app");
app.innerHTML = `
  <main>
    <h1>Hello from your sandbox</h1>
    <p>Ask Claude to build something: this page updates as it edits <code>src/main.js</code>.</p>
  </main>
`;

// Re-runs this module in place when it changes, so the page follows edits without a full reload.
if (import.meta.hot) import.meta.hot.accept();
