// Lets govuk-frontend apply its JavaScript-enhanced styles (kept in a file: the CSP
// forbids inline scripts).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
