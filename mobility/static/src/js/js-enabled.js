// Runs first in <body>, before anything renders, so GOV.UK Frontend's scripted styles apply at once.
// A file, not an inline script: the content security policy allows no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
