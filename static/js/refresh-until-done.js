// A page marked data-refresh-until-done="id1 id2" (a meeting pack being generated)
// fetches itself every few seconds and swaps in those regions, until the fetched page
// is no longer marked. It never reloads the page: a coordinator typing an action
// keeps what they typed, and screen readers hear the status through its live region.
const marker = document.querySelector("[data-refresh-until-done]");
if (marker) {
  const ids = marker.dataset.refreshUntilDone.split(/\s+/).filter(Boolean);
  const poll = async () => {
    let response;
    try {
      response = await fetch(window.location.href, { credentials: "same-origin" });
    } catch {
      setTimeout(poll, 10000);
      return;
    }
    if (!response.ok) {
      setTimeout(poll, 10000);
      return;
    }
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of ids) {
      const now = document.getElementById(id);
      const next = fresh.getElementById(id);
      if (now && next) now.replaceWith(document.importNode(next, true));
    }
    if (fresh.querySelector("[data-refresh-until-done]")) setTimeout(poll, 3000);
  };
  setTimeout(poll, 3000);
}
