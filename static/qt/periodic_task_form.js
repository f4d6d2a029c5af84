"use strict";
// The crontab "translation" helper of django-celery-beat's periodic task form, as a file
// (the Content-Security-Policy refuses inline scripts).
(function () {
  const $ = window.django && window.django.jQuery;
  if (!$) return;
  const script = document.getElementById("periodic-task-overrides");
  const readable = JSON.parse($("#readable-crontabs").text() || "{}");
  const originalHelp = script ? script.dataset.crontabHelp || "" : "";
  $(function () {
    $(".field-crontab_translation").hide();
    $(".field-crontab").change(function () {
      const help = $(".field-crontab .help");
      help.text(originalHelp);
      help.append(document.createElement("br"));
      help.append(document.createTextNode("Translation: " + (readable[$("#id_crontab").val()] || "")));
    });
  });
})();
