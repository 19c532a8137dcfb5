/*!
 * Waypoint in-app widget: next lesson, learning path and lessons, inside any page.
 *
 * One file, no dependencies, no build step. Talks only to the Waypoint API it was loaded
 * from (or `apiBase`). Renders in a shadow root so the page's CSS and the widget's CSS
 * never touch each other. See docs/embedding.md.
 */
(function (window, document) {
  "use strict";

  var existing = window.Waypoint;
  if (existing && existing.version) return; // loaded twice: keep the first

  var VERSION = "1.0.0";
  var REQUEST_TIMEOUT_MS = 10000;
  var FRESH_AFTER_WRITE_MS = 15000;
  var SCRIPT = document.currentScript || findOwnScript();

  function findOwnScript() {
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/waypoint\/widget(\.[\w]+)?\.js(\?|#|$)/.test(scripts[i].src || "")) return scripts[i];
    }
    return null;
  }

  // The API lives where the script came from, so an embed on another origin needs no
  // configuration beyond the script tag.
  function defaultApiBase() {
    try {
      if (SCRIPT && SCRIPT.src) {
        var url = new URL(SCRIPT.src, document.baseURI);
        var prefix = url.pathname.split("/static/waypoint/")[0];
        return url.origin + (prefix === url.pathname ? "" : prefix);
      }
    } catch (e) {
      /* fall through */
    }
    return window.location.origin;
  }

  // --- Interface strings ---------------------------------------------------------------

  var STRINGS = {
    en: {
      heading: "Learning",
      upNext: "Up next",
      minutes: "{n} min",
      startLesson: "Start lesson",
      continueLesson: "Continue",
      reviewLesson: "Review",
      whyThis: "Why this?",
      whyThisFor: "Why this lesson is suggested",
      modelVersion: "Suggested by model {v}",
      moreForYou: "More for you",
      yourPath: "Your path",
      stepOf: "Step {n} of {total} · {path}",
      progress: "{done} of {total} done",
      pathComplete: "Path complete. Nice work!",
      allCaughtUp: "You're all caught up. New lessons will appear here.",
      completed: "Completed",
      next: "Next",
      upcoming: "Upcoming",
      unavailable: "Lessons are unavailable right now.",
      lessonUnavailable: "This lesson is unavailable right now.",
      loading: "Loading…",
      back: "Back",
      close: "Close lesson",
      lessonDialog: "Lesson",
      tip: "Tip",
      note: "Note",
      warning: "Warning",
      copy: "Copy",
      copied: "Copied",
      transcript: "Transcript",
      playVideo: "Play video",
      watchVideo: "Watch the video",
      videoFrom: "Loads the player from {host}",
      checkAnswer: "Check answer",
      tryAgain: "Try again",
      chooseFirst: "Choose an answer first.",
      correct: "Correct!",
      incorrect: "Not quite.",
      correctAnswer: "Correct answer",
      yourAnswer: "Your answer",
      question: "Question",
      markComplete: "Mark as complete",
      finished: "Finished?",
      finishedHint: "Mark the lesson complete to move your path forward.",
      lessonCompleted: "Lesson completed",
      completedStatus: "Lesson completed. Your path has been updated.",
      nextUp: "Next up: {title}",
      openNext: "Open next lesson",
      helpful: "Was this helpful?",
      yes: "Yes",
      no: "No",
      effort: "How easy was this to follow?",
      veryEasy: "Very easy",
      veryHard: "Very hard",
      comment: "Anything we could improve? (optional)",
      sendFeedback: "Send feedback",
      thanks: "Thanks for your feedback!",
      stuck: "Still stuck?",
      stuckHint: "Tell us what you were trying to do and we'll pass it on, with this lesson's context.",
      stuckMessage: "What are you trying to do? (optional)",
      contactSupport: "Contact support",
      helpSent: "We've let the support team know. They'll pick it up from here.",
      saveFailed: "That didn't go through. Please try again.",
    },
    fr: {
      heading: "Apprendre",
      upNext: "À suivre",
      minutes: "{n} min",
      startLesson: "Commencer",
      continueLesson: "Reprendre",
      reviewLesson: "Revoir",
      whyThis: "Pourquoi ?",
      whyThisFor: "Pourquoi cette leçon est suggérée",
      modelVersion: "Suggéré par le modèle {v}",
      moreForYou: "Pour vous aussi",
      yourPath: "Votre parcours",
      stepOf: "Étape {n} sur {total} · {path}",
      progress: "{done} sur {total} terminées",
      pathComplete: "Parcours terminé. Bravo !",
      allCaughtUp: "Vous êtes à jour. Les nouvelles leçons apparaîtront ici.",
      completed: "Terminée",
      next: "Suivante",
      upcoming: "À venir",
      unavailable: "Les leçons ne sont pas disponibles pour le moment.",
      lessonUnavailable: "Cette leçon n'est pas disponible pour le moment.",
      loading: "Chargement…",
      back: "Retour",
      close: "Fermer la leçon",
      lessonDialog: "Leçon",
      tip: "Astuce",
      note: "Remarque",
      warning: "Attention",
      copy: "Copier",
      copied: "Copié",
      transcript: "Transcription",
      playVideo: "Lire la vidéo",
      watchVideo: "Voir la vidéo",
      videoFrom: "Charge le lecteur depuis {host}",
      checkAnswer: "Vérifier",
      tryAgain: "Réessayer",
      chooseFirst: "Choisissez d'abord une réponse.",
      correct: "Bonne réponse !",
      incorrect: "Pas tout à fait.",
      correctAnswer: "Bonne réponse",
      yourAnswer: "Votre réponse",
      question: "Question",
      markComplete: "Marquer comme terminée",
      finished: "Terminé ?",
      finishedHint: "Marquez la leçon comme terminée pour avancer dans votre parcours.",
      lessonCompleted: "Leçon terminée",
      completedStatus: "Leçon terminée. Votre parcours a été mis à jour.",
      nextUp: "À suivre : {title}",
      openNext: "Ouvrir la leçon suivante",
      helpful: "Cette leçon vous a-t-elle aidé ?",
      yes: "Oui",
      no: "Non",
      effort: "Était-ce facile à suivre ?",
      veryEasy: "Très facile",
      veryHard: "Très difficile",
      comment: "Une suggestion ? (facultatif)",
      sendFeedback: "Envoyer",
      thanks: "Merci pour votre retour !",
      stuck: "Toujours bloqué ?",
      stuckHint: "Dites-nous ce que vous essayiez de faire, nous transmettrons avec le contexte de cette leçon.",
      stuckMessage: "Que cherchez-vous à faire ? (facultatif)",
      contactSupport: "Contacter le support",
      helpSent: "L'équipe support est prévenue et prend le relais.",
      saveFailed: "L'envoi a échoué. Veuillez réessayer.",
    },
  };

  function stringsFor(locale, overrides) {
    var language = String(locale || "").toLowerCase().split(/[-_]/)[0];
    var base = STRINGS[language] || STRINGS.en;
    var merged = {};
    var key;
    for (key in STRINGS.en) merged[key] = base[key] || STRINGS.en[key];
    if (overrides) for (key in overrides) merged[key] = String(overrides[key]);
    return merged;
  }

  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, name) {
      return values && values[name] != null ? values[name] : "";
    });
  }

  // --- Styles ----------------------------------------------------------------------------

  // Pixel units throughout: rem would follow the host page's root font size.
  var CSS = [
    ":host{display:block}",
    ":host([hidden]){display:none}",
    ".wp-root{all:initial;display:block;box-sizing:border-box;",
    "--_accent:var(--waypoint-accent,#2f5bea);--_text:var(--waypoint-text,#1d2433);",
    "--_surface:var(--waypoint-surface,#fff);--_radius:var(--waypoint-radius,12px);",
    "--_font:var(--waypoint-font,system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif);",
    "--_muted:color-mix(in srgb,var(--_text) 64%,var(--_surface));",
    "--_border:color-mix(in srgb,var(--_text) 14%,var(--_surface));",
    "--_soft:color-mix(in srgb,var(--_accent) 9%,var(--_surface));",
    "--_soft-strong:color-mix(in srgb,var(--_accent) 18%,var(--_surface));",
    "--_ok:#15803d;--_ok-soft:#ecfdf3;--_bad:#b42318;--_bad-soft:#fef3f2;",
    "font-family:var(--_font);font-size:14px;line-height:1.5;color:var(--_text);",
    "text-align:left;-webkit-font-smoothing:antialiased;}",
    ".wp-root *,.wp-root *::before,.wp-root *::after{box-sizing:border-box}",
    ".wp-root [hidden]{display:none !important}",
    "button,input,textarea,select{font:inherit;color:inherit;margin:0}",
    "h2,h3,h4,p,ol,ul,figure,pre,fieldset,legend{margin:0;padding:0}",
    "fieldset{border:0;min-width:0}",
    "ol,ul{list-style:none}",
    "a{color:var(--_accent)}",
    ":focus{outline:none}",
    ":focus-visible{outline:3px solid color-mix(in srgb,var(--_accent) 55%,transparent);outline-offset:2px;border-radius:6px}",
    "input:focus-visible+.wp-choice-box,input:focus-visible+.wp-scale-box{outline:3px solid color-mix(in srgb,var(--_accent) 55%,transparent);outline-offset:2px}",
    ".wp-icon{width:16px;height:16px;flex:none}",
    ".wp-sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}",
    // Panel
    ".wp-panel{background:var(--_surface);border:1px solid var(--_border);border-radius:var(--_radius);",
    "box-shadow:0 1px 2px rgba(16,24,40,.04),0 4px 16px rgba(16,24,40,.06);overflow:hidden}",
    ".wp-panel-head{display:flex;align-items:center;gap:8px;padding:14px 18px 0}",
    ".wp-logo{width:22px;height:22px;border-radius:7px;background:var(--_accent);display:inline-grid;place-items:center;color:#fff;flex:none}",
    ".wp-logo svg{width:13px;height:13px}",
    ".wp-panel-title{font-size:13px;font-weight:650;letter-spacing:.01em;color:var(--_text)}",
    ".wp-panel-head .wp-count{margin-left:auto;font-size:12px;color:var(--_muted)}",
    ".wp-section{padding:14px 18px 16px}",
    ".wp-section+.wp-section{border-top:1px solid var(--_border)}",
    ".wp-eyebrow{display:block;font-size:11px;font-weight:650;letter-spacing:.06em;text-transform:uppercase;color:var(--_muted);margin-bottom:8px}",
    ".wp-quiet{padding:18px;color:var(--_muted);font-size:13px}",
    ".wp-skeleton{height:12px;border-radius:6px;background:linear-gradient(90deg,var(--_border),var(--_soft),var(--_border));background-size:200% 100%;animation:wp-shimmer 1.4s infinite;margin:10px 0}",
    "@keyframes wp-shimmer{0%{background-position:100% 0}100%{background-position:-100% 0}}",
    // Next lesson card
    ".wp-card{position:relative;border-radius:calc(var(--_radius) - 2px);padding:14px 14px 12px;",
    "background:linear-gradient(180deg,var(--_soft),var(--_surface) 90%);border:1px solid var(--_soft-strong)}",
    ".wp-card-title{font-size:16px;font-weight:650;line-height:1.3;margin:2px 0 4px;color:var(--_text)}",
    ".wp-card-summary{color:var(--_muted);font-size:13px;margin-bottom:10px}",
    ".wp-meta{display:flex;flex-wrap:wrap;align-items:center;gap:6px;font-size:12px;color:var(--_muted)}",
    ".wp-meta-dot::before{content:'·';margin-right:6px}",
    ".wp-tag{display:inline-block;padding:1px 8px;border-radius:999px;background:var(--_soft-strong);color:var(--_accent);font-size:11.5px;font-weight:600}",
    ".wp-actions{display:flex;flex-wrap:wrap;align-items:center;gap:10px;margin-top:12px}",
    ".wp-btn{display:inline-flex;align-items:center;justify-content:center;gap:6px;min-height:34px;padding:7px 14px;",
    "border-radius:8px;border:1px solid transparent;background:var(--_accent);color:#fff;font-weight:600;font-size:13px;",
    "cursor:pointer;text-decoration:none;line-height:1.2;transition:filter .12s,background-color .12s}",
    ".wp-btn:hover{filter:brightness(1.07)}",
    ".wp-btn:disabled{opacity:.55;cursor:default;filter:none}",
    ".wp-btn--ghost{background:transparent;color:var(--_text);border-color:var(--_border)}",
    ".wp-btn--ghost:hover{background:var(--_soft);filter:none}",
    ".wp-btn--ghost[aria-pressed=true]{background:var(--_soft-strong);border-color:var(--_accent);color:var(--_accent)}",
    ".wp-btn--link{background:none;border:0;padding:4px 2px;min-height:0;color:var(--_accent);font-weight:600}",
    ".wp-btn--link:hover{text-decoration:underline;filter:none}",
    ".wp-btn--icon{background:none;border:0;color:var(--_muted);padding:6px;min-height:0;border-radius:8px}",
    ".wp-btn--icon:hover{background:var(--_soft);filter:none;color:var(--_text)}",
    ".wp-btn svg{width:15px;height:15px;flex:none}",
    ".wp-why{margin-top:10px;padding:10px 12px;border-radius:8px;background:var(--_surface);border:1px solid var(--_border);font-size:12.5px}",
    ".wp-why li{display:flex;gap:8px;align-items:flex-start;margin:3px 0}",
    ".wp-why li::before{content:'';flex:none;width:6px;height:6px;border-radius:50%;background:var(--_accent);margin-top:7px}",
    ".wp-why-model{margin-top:6px;color:var(--_muted);font-size:11.5px}",
    ".wp-more{margin-top:14px}",
    ".wp-more li+li{border-top:1px solid var(--_border)}",
    ".wp-row{display:flex;width:100%;align-items:center;gap:10px;padding:8px 4px;background:none;border:0;cursor:pointer;text-align:left;border-radius:8px}",
    ".wp-row:hover{background:var(--_soft)}",
    ".wp-row-main{flex:1;min-width:0}",
    ".wp-row-title{display:block;font-weight:500;font-size:13px;color:var(--_text);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}",
    ".wp-row-sub{display:block;font-size:12px;color:var(--_muted)}",
    ".wp-chevron{color:var(--_muted);flex:none;display:inline-flex}.wp-chevron .wp-icon{width:14px;height:14px}",
    // Path
    ".wp-path-title{font-weight:650;font-size:14px;margin-bottom:8px}",
    ".wp-bar{height:6px;border-radius:999px;background:var(--_border);overflow:hidden}",
    ".wp-bar>span{display:block;height:100%;background:var(--_accent);border-radius:inherit;transition:width .4s ease}",
    ".wp-progress-label{display:flex;justify-content:space-between;font-size:12px;color:var(--_muted);margin:6px 0 8px}",
    ".wp-steps{position:relative}",
    ".wp-step .wp-row{padding:7px 4px}",
    ".wp-dot{flex:none;width:20px;height:20px;border-radius:50%;display:grid;place-items:center;border:2px solid var(--_border);background:var(--_surface);color:#fff}",
    ".wp-dot svg{width:11px;height:11px}",
    ".wp-step[data-status=completed] .wp-dot{background:var(--_ok);border-color:var(--_ok)}",
    ".wp-step[data-status=completed] .wp-row-title{color:var(--_muted)}",
    ".wp-step[data-status=next] .wp-dot{border-color:var(--_accent);box-shadow:inset 0 0 0 3px var(--_surface);background:var(--_accent)}",
    ".wp-step[data-status=next] .wp-row{background:var(--_soft)}",
    ".wp-step[data-status=next] .wp-row-title{font-weight:650}",
    ".wp-badge{flex:none;font-size:11px;font-weight:650;padding:1px 7px;border-radius:999px;background:var(--_accent);color:#fff}",
    ".wp-done{display:flex;gap:8px;align-items:center;color:var(--_ok);font-weight:600;font-size:13px;margin-top:8px}",
    // Lesson drawer
    "dialog.wp-drawer{all:revert;position:fixed;inset:0 0 0 auto;margin:0 0 0 auto;height:100%;max-height:100vh;width:min(600px,100vw);max-width:100vw;",
    "padding:0;border:0;background:var(--_surface);color:var(--_text);font:inherit;box-shadow:-12px 0 40px rgba(16,24,40,.18);",
    "display:flex;flex-direction:column;overflow:hidden;box-sizing:border-box}",
    "dialog.wp-drawer:not([open]){display:none}",
    "dialog.wp-drawer::backdrop{background:rgba(15,23,42,.38)}",
    "@media (prefers-reduced-motion:no-preference){dialog.wp-drawer[open]{animation:wp-slide .22s ease-out}}",
    "@keyframes wp-slide{from{transform:translateX(40px);opacity:0}to{transform:none;opacity:1}}",
    ".wp-drawer-bar{display:flex;align-items:center;gap:8px;padding:10px 14px;border-bottom:1px solid var(--_border);flex:none}",
    ".wp-drawer-bar .wp-spacer{flex:1;min-width:0;text-align:center;font-size:12.5px;color:var(--_muted);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}",
    ".wp-drawer-body{overflow-y:auto;padding:22px 28px 36px;flex:1;line-height:1.6;font-size:14.5px}",
    ".wp-lesson-title{font-size:22px;font-weight:700;line-height:1.25;margin:8px 0 6px;letter-spacing:-.01em}",
    ".wp-lesson-summary{color:var(--_muted);margin-bottom:6px}",
    ".wp-block{margin:18px 0}",
    ".wp-prose p{margin:0 0 10px}.wp-prose p:last-child{margin-bottom:0}",
    ".wp-prose ul,.wp-prose ol{padding-left:22px;margin:0 0 10px}.wp-prose ul{list-style:disc}.wp-prose ol{list-style:decimal}",
    ".wp-prose li{margin:3px 0}",
    ".wp-prose h3{font-size:16px;margin:18px 0 6px}.wp-prose h4{font-size:14.5px;margin:14px 0 4px}",
    ".wp-prose code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:var(--_soft);padding:1px 5px;border-radius:4px}",
    ".wp-callout{display:flex;gap:10px;border-left:4px solid var(--_accent);background:var(--_soft);padding:10px 14px;border-radius:8px}",
    ".wp-callout--warning{border-color:#d97706;background:#fff7ed}",
    ".wp-callout--note{border-color:#64748b;background:color-mix(in srgb,#64748b 8%,var(--_surface))}",
    ".wp-callout-label{display:block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.06em;margin-bottom:2px;color:var(--_muted)}",
    ".wp-steps-block h3{font-size:15px;font-weight:650;margin-bottom:8px}",
    ".wp-numbered{counter-reset:wp-step}",
    ".wp-numbered>li{counter-increment:wp-step;position:relative;padding:0 0 12px 38px}",
    ".wp-numbered>li::before{content:counter(wp-step);position:absolute;left:0;top:0;width:26px;height:26px;border-radius:50%;",
    "background:var(--_soft-strong);color:var(--_accent);font-weight:700;font-size:13px;display:grid;place-items:center}",
    ".wp-numbered>li:not(:last-child)::after{content:'';position:absolute;left:12px;top:30px;bottom:2px;width:2px;background:var(--_border)}",
    ".wp-step-title{display:block;font-weight:600;padding-top:2px}",
    ".wp-code{position:relative}",
    ".wp-code pre{background:#0f172a;color:#e2e8f0;padding:14px 16px;border-radius:8px;overflow-x:auto;font-size:12.5px;line-height:1.55;",
    "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre}",
    ".wp-code-bar{display:flex;justify-content:space-between;align-items:center;font-size:11px;color:#94a3b8;background:#1e293b;",
    "padding:4px 6px 4px 14px;border-radius:8px 8px 0 0;text-transform:uppercase;letter-spacing:.05em}",
    ".wp-code-bar+pre{border-radius:0 0 8px 8px}",
    ".wp-code-bar .wp-btn{background:none;color:#cbd5e1;min-height:0;padding:3px 8px;font-size:11.5px;text-transform:none;letter-spacing:0}",
    ".wp-code-bar .wp-btn:hover{background:#334155}",
    ".wp-media img{display:block;max-width:100%;height:auto;border-radius:8px;border:1px solid var(--_border)}",
    ".wp-media figcaption{font-size:12.5px;color:var(--_muted);margin-top:6px}",
    ".wp-video-frame{position:relative;padding-top:56.25%;border-radius:8px;overflow:hidden;background:#0f172a}",
    ".wp-video-frame iframe,.wp-video-frame .wp-play{position:absolute;inset:0;width:100%;height:100%;border:0}",
    ".wp-play{display:grid;place-items:center;align-content:center;gap:8px;background:radial-gradient(circle at 50% 45%,#1e293b,#0f172a);color:#e2e8f0;cursor:pointer;font-size:13px}",
    ".wp-play-icon{width:56px;height:56px;border-radius:50%;background:var(--_accent);display:grid;place-items:center;box-shadow:0 6px 18px rgba(0,0,0,.35)}",
    ".wp-play-icon svg{width:22px;height:22px;margin-left:3px;color:#fff}",
    ".wp-play small{color:#94a3b8;font-size:11.5px}",
    "details.wp-transcript{margin-top:8px;font-size:13px}",
    "details.wp-transcript summary{cursor:pointer;color:var(--_accent);font-weight:600}",
    "details.wp-transcript p{white-space:pre-line;color:var(--_muted);margin-top:6px}",
    // Quiz
    ".wp-quiz{border:1px solid var(--_border);border-radius:10px;padding:16px}",
    ".wp-quiz legend{font-weight:650;padding:0;margin-bottom:10px;float:left;width:100%}",
    ".wp-quiz legend .wp-eyebrow{margin-bottom:4px}",
    ".wp-quiz fieldset{border:0;min-width:0}",
    ".wp-choices{clear:both;display:grid;gap:8px}",
    ".wp-choice{position:relative;display:block;cursor:pointer}",
    ".wp-choice input{position:absolute;opacity:0;width:1px;height:1px}",
    ".wp-choice-box{display:flex;align-items:center;gap:10px;padding:9px 12px;border:1px solid var(--_border);border-radius:8px;background:var(--_surface);transition:border-color .12s,background-color .12s}",
    ".wp-choice:hover .wp-choice-box{border-color:color-mix(in srgb,var(--_accent) 50%,var(--_border))}",
    ".wp-mark{flex:none;width:18px;height:18px;border:2px solid var(--_border);border-radius:50%;display:grid;place-items:center;background:var(--_surface)}",
    ".wp-choice input[type=checkbox]+.wp-choice-box .wp-mark{border-radius:5px}",
    ".wp-choice input:checked+.wp-choice-box{border-color:var(--_accent);background:var(--_soft)}",
    ".wp-choice input:checked+.wp-choice-box .wp-mark{border-color:var(--_accent);background:var(--_accent);box-shadow:inset 0 0 0 3px var(--_surface)}",
    ".wp-choice input[type=checkbox]:checked+.wp-choice-box .wp-mark{box-shadow:inset 0 0 0 2px var(--_surface)}",
    ".wp-choice input:disabled+.wp-choice-box{cursor:default}",
    ".wp-choice-text{flex:1}",
    ".wp-choice-verdict{font-size:11.5px;font-weight:650;flex:none}",
    ".wp-choice.is-correct input+.wp-choice-box{border-color:var(--_ok);background:var(--_ok-soft)}",
    ".wp-choice.is-correct .wp-choice-verdict{color:var(--_ok)}",
    ".wp-choice.is-wrong input+.wp-choice-box{border-color:var(--_bad);background:var(--_bad-soft)}",
    ".wp-choice.is-wrong .wp-choice-verdict{color:var(--_bad)}",
    ".wp-choice.is-wrong input:checked+.wp-choice-box .wp-mark{border-color:var(--_bad);background:var(--_bad)}",
    ".wp-choice.is-correct input:checked+.wp-choice-box .wp-mark{border-color:var(--_ok);background:var(--_ok)}",
    ".wp-quiz-result{margin-top:12px;padding:10px 12px;border-radius:8px;font-size:13.5px}",
    ".wp-quiz-result:empty{display:none}",
    ".wp-quiz-result.is-correct{background:var(--_ok-soft);color:#05603a}",
    ".wp-quiz-result.is-wrong{background:var(--_bad-soft);color:#912018}",
    ".wp-quiz-result.is-info{background:var(--_soft);color:var(--_text)}",
    ".wp-quiz-result strong{display:block;margin-bottom:2px}",
    ".wp-try{display:flex;align-items:center;gap:14px;padding:14px 16px;border-radius:10px;border:1px dashed color-mix(in srgb,var(--_accent) 45%,var(--_border));background:var(--_soft)}",
    ".wp-try p{flex:1;font-size:13px;color:var(--_muted)}",
    // Lesson footer
    ".wp-complete{margin:26px 0 0;padding:16px;border-radius:10px;background:var(--_soft);display:flex;flex-wrap:wrap;align-items:center;gap:12px}",
    ".wp-complete.is-done{background:var(--_ok-soft)}",
    ".wp-complete-text{flex:1;min-width:180px;font-size:13.5px}",
    ".wp-complete-text strong{display:block}",
    ".wp-check{width:22px;height:22px;border-radius:50%;background:var(--_ok);color:#fff;display:grid;place-items:center;flex:none}",
    ".wp-check svg{width:12px;height:12px}",
    ".wp-footer-section{margin-top:22px;padding-top:18px;border-top:1px solid var(--_border)}",
    ".wp-footer-section h3{font-size:14px;font-weight:650;margin-bottom:10px}",
    ".wp-inline{display:flex;flex-wrap:wrap;align-items:center;gap:8px}",
    ".wp-inline h3{margin:0 8px 0 0}",
    ".wp-scale{margin-top:14px}",
    ".wp-scale legend{font-size:13px;font-weight:600;margin-bottom:8px}",
    ".wp-scale fieldset{border:0;min-width:0}",
    ".wp-scale-row{display:grid;grid-template-columns:repeat(7,1fr);gap:6px;max-width:360px}",
    ".wp-scale label{position:relative;display:block;cursor:pointer}",
    ".wp-scale input{position:absolute;opacity:0;width:1px;height:1px}",
    ".wp-scale-box{display:grid;place-items:center;height:34px;border:1px solid var(--_border);border-radius:8px;font-weight:600;font-size:13px}",
    ".wp-scale label:hover .wp-scale-box{background:var(--_soft)}",
    ".wp-scale input:checked+.wp-scale-box{background:var(--_accent);border-color:var(--_accent);color:#fff}",
    ".wp-scale-ends{display:flex;justify-content:space-between;max-width:360px;font-size:11.5px;color:var(--_muted);margin-top:4px}",
    ".wp-field{display:block;margin-top:12px}",
    ".wp-field span{display:block;font-size:13px;font-weight:600;margin-bottom:6px}",
    ".wp-field textarea{display:block;width:100%;min-height:70px;padding:8px 10px;border:1px solid var(--_border);border-radius:8px;background:var(--_surface);resize:vertical;font-size:13.5px}",
    ".wp-field textarea:focus-visible{outline-offset:0}",
    ".wp-hint{font-size:13px;color:var(--_muted);margin-bottom:10px}",
    ".wp-note{font-size:13px;margin-top:10px}",
    ".wp-note.is-ok{color:var(--_ok);font-weight:600}",
    ".wp-note.is-error{color:var(--_bad)}",
    ".wp-status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
    "@media (max-width:520px){.wp-drawer-body{padding:18px 18px 28px}}",
  ].join("");

  // --- Small DOM helpers -----------------------------------------------------------------

  var SVG_NS = "http://www.w3.org/2000/svg";
  var ICONS = {
    check: "M3.5 8.5l3 3 6-7",
    arrow: "M3 8h10M9 4l4 4-4 4",
    chevron: "M6 3l5 5-5 5",
    back: "M13 8H3M7 4L3 8l4 4",
    close: "M4 4l8 8M12 4l-8 8",
    play: "M5 3l8 5-8 5z",
    spark: "M8 1.5l1.6 4.3 4.4 1.2-4.4 1.2L8 12.5 6.4 8.2 2 7l4.4-1.2z",
    thumbUp: "M5 7v7H2.5V7zM5 7l2.6-5c1.3 0 2 .9 1.7 2.2L8.8 6.5h3.8c1 0 1.7.9 1.5 1.9l-1 4.6c-.2.8-.9 1.4-1.7 1.4H5",
    thumbDown: "M5 9V2H2.5v7zM5 9l2.6 5c1.3 0 2-.9 1.7-2.2L8.8 9.5h3.8c1 0 1.7-.9 1.5-1.9l-1-4.6C12.9 2.2 12.2 1.6 11.4 1.6H5",
    chat: "M2.5 3.5h11v7.5H7l-3 2.5V11H2.5z",
  };

  function icon(name, filled) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "wp-icon");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", filled ? "currentColor" : "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", filled ? "1" : "1.8");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.appendChild(path);
    return svg;
  }

  // h("button", {class: "x", onclick: fn, "aria-label": "..."}, child, "text", ...)
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      for (var name in attrs) {
        var value = attrs[name];
        if (value == null || value === false) continue;
        if (name === "class") el.className = value;
        else if (name === "text") el.textContent = value;
        else if (name.slice(0, 2) === "on" && typeof value === "function") {
          el.addEventListener(name.slice(2), value);
        } else if (name in el && typeof value !== "string") el[name] = value;
        else el.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(parent, child) {
    if (child == null || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) {
        append(parent, c);
      });
    } else if (typeof child === "string" || typeof child === "number") {
      parent.appendChild(document.createTextNode(String(child)));
    } else parent.appendChild(child);
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  var uid = 0;
  function nextId(prefix) {
    uid += 1;
    return "wp-" + prefix + "-" + uid;
  }

  // --- Sanitising HTML from the API ------------------------------------------------------

  // The API sends HTML already cleaned on the server; this is a second, independent pass
  // so that a mistake there still cannot run script in the product's page.
  var DROPPED_TAGS = {
    SCRIPT: 1, STYLE: 1, IFRAME: 1, FRAME: 1, FRAMESET: 1, OBJECT: 1, EMBED: 1, APPLET: 1,
    LINK: 1, META: 1, BASE: 1, FORM: 1, INPUT: 1, BUTTON: 1, TEXTAREA: 1, SELECT: 1,
    OPTION: 1, SVG: 1, MATH: 1, TEMPLATE: 1, NOSCRIPT: 1, PORTAL: 1, DIALOG: 1,
  };
  var URL_ATTRIBUTES = { href: 1, src: 1, action: 1, formaction: 1, "xlink:href": 1, poster: 1, background: 1, cite: 1 };

  function isSafeUrl(value) {
    var trimmed = String(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
    var scheme = /^([a-z][a-z0-9+.-]*):/.exec(trimmed);
    return !scheme || ["http", "https", "mailto", "tel"].indexOf(scheme[1]) !== -1;
  }

  function sanitizedFragment(html) {
    var template = document.createElement("template");
    template.innerHTML = String(html == null ? "" : html); // inert: nothing runs or loads
    var elements = template.content.querySelectorAll("*");
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      if (DROPPED_TAGS[el.tagName.toUpperCase()]) {
        if (el.parentNode) el.parentNode.removeChild(el);
        continue;
      }
      var attributes = Array.prototype.slice.call(el.attributes);
      for (var j = 0; j < attributes.length; j++) {
        var name = attributes[j].name.toLowerCase();
        if (
          name.slice(0, 2) === "on" ||
          name === "style" ||
          name === "srcdoc" ||
          name === "srcset" ||
          name === "id" ||
          (URL_ATTRIBUTES[name] && !isSafeUrl(attributes[j].value))
        ) {
          el.removeAttribute(attributes[j].name);
        }
      }
      if (el.tagName === "A" && el.hasAttribute("href")) {
        el.setAttribute("target", "_blank");
        el.setAttribute("rel", "noopener noreferrer");
      }
    }
    return document.importNode(template.content, true);
  }

  function prose(tag, html, className) {
    var el = h(tag, { class: "wp-prose" + (className ? " " + className : "") });
    el.appendChild(sanitizedFragment(html));
    return el;
  }

  // --- API client ------------------------------------------------------------------------

  function ApiError(status, body) {
    this.name = "ApiError";
    this.status = status;
    this.code = (body && body.code) || "http_" + status;
    this.message = (body && body.message) || "Request failed (" + status + ")";
    this.details = body && body.details;
  }
  ApiError.prototype = Object.create(Error.prototype);

  function Client(options) {
    this.base = String(options.apiBase || defaultApiBase()).replace(/\/+$/, "");
    this.key = options.key;
    this.token = options.token || "";
    this.getToken = typeof options.getToken === "function" ? options.getToken : null;
    this.locale = options.locale || "";
    this.freshUntil = 0;
  }

  Client.prototype.currentToken = async function (refresh) {
    if ((refresh || !this.token) && this.getToken) {
      // Requests that fail together share one refresh.
      if (!this.refreshing) {
        var self = this;
        this.refreshing = Promise.resolve()
          .then(function () {
            return self.getToken();
          })
          .then(
            function (token) {
              self.token = String(token || "");
              self.refreshing = null;
            },
            function (error) {
              self.refreshing = null;
              throw error;
            }
          );
      }
      await this.refreshing;
    }
    return this.token;
  };

  Client.prototype.send = async function (method, path, body, token) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    var headers = { Accept: "application/json", "X-Waypoint-Key": this.key };
    if (token) headers.Authorization = "Bearer " + token;
    if (this.locale) headers["Accept-Language"] = this.locale;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    // After this widget changed something, its reads ask for answers that show the change
    // (the server may otherwise answer from a copy a few seconds old).
    if (method === "GET" && Date.now() < this.freshUntil) headers["Cache-Control"] = "no-cache";
    if (method !== "GET") this.freshUntil = Date.now() + FRESH_AFTER_WRITE_MS;
    try {
      return await fetch(this.base + path, {
        method: method,
        headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        mode: "cors",
        credentials: "omit",
        cache: "no-store",
        signal: controller ? controller.signal : undefined,
      });
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  Client.prototype.request = async function (method, path, body) {
    var response = await this.send(method, path, body, await this.currentToken(false));
    if (response.status === 401 && this.getToken) {
      // The customer token expired: ask the product for a fresh one, once.
      response = await this.send(method, path, body, await this.currentToken(true));
    }
    var data = null;
    var text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  };

  Client.prototype.get = function (path) {
    return this.request("GET", path);
  };
  Client.prototype.post = function (path, body) {
    return this.request("POST", path, body === undefined ? {} : body);
  };

  // --- The widget ------------------------------------------------------------------------

  function resolveTarget(target) {
    if (!target) return document.getElementById("waypoint");
    if (typeof target === "string") return document.querySelector(target);
    return target.nodeType === 1 ? target : null;
  }

  function lessonPath(id, suffix) {
    return "/api/v1/me/lessons/" + encodeURIComponent(id) + (suffix || "");
  }

  function Widget(host, options) {
    this.host = host;
    this.options = options;
    this.t = stringsFor(options.locale || document.documentElement.lang, options.strings);
    this.client = new Client(options);
    this.statuses = {}; // lesson id -> completed / next / upcoming, from the path
    this.path = null;
    this.recommendations = null;
    this.lesson = null;
    this.opener = null;
    this.destroyed = false;

    this.shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
    clear(this.shadow);
    this.shadow.appendChild(h("style", { text: CSS }));
    this.root = h("div", { class: "wp-root", part: "root" });
    this.shadow.appendChild(this.root);
    this.home = h("section", { class: "wp-panel", "aria-label": this.t.heading, "aria-busy": "true" });
    this.status = h("div", { class: "wp-status", role: "status", "aria-live": "polite" });
    this.drawer = this.buildDrawer();
    append(this.root, [this.home, this.status, this.drawer]);
    this.renderLoading();
    host.setAttribute("data-waypoint-state", "loading");
  }

  Widget.prototype.announce = function (message) {
    var status = this.status;
    status.textContent = "";
    // A fresh text node after a tick makes screen readers read repeated messages too.
    setTimeout(function () {
      status.textContent = message;
    }, 30);
  };

  Widget.prototype.emit = function (name, detail) {
    try {
      this.host.dispatchEvent(
        new CustomEvent("waypoint:" + name, { detail: detail, bubbles: true, composed: true })
      );
    } catch (e) {
      reportError(e);
    }
  };

  Widget.prototype.callback = function (name, value) {
    var fn = this.options[name];
    if (typeof fn !== "function") return;
    try {
      var result = fn(value);
      if (result && typeof result.then === "function") result.then(null, reportError);
    } catch (e) {
      reportError(e);
    }
  };

  function reportError(error) {
    if (window.console && console.error) console.error("[Waypoint]", error);
  }

  // Every handler goes through here: nothing the widget does may throw into the page.
  function guard(fn, self) {
    return function () {
      try {
        var result = fn.apply(self, arguments);
        if (result && typeof result.then === "function") result.then(null, reportError);
      } catch (e) {
        reportError(e);
      }
    };
  }

  // --- Home: next lesson card and path ---

  Widget.prototype.renderLoading = function () {
    clear(this.home);
    append(this.home, [
      this.panelHead(null),
      h(
        "div",
        { class: "wp-section", "aria-label": this.t.loading },
        h("div", { class: "wp-skeleton", style: "width:40%" }),
        h("div", { class: "wp-skeleton", style: "width:85%;height:16px" }),
        h("div", { class: "wp-skeleton", style: "width:70%" })
      ),
    ]);
  };

  Widget.prototype.panelHead = function (countText) {
    return h(
      "div",
      { class: "wp-panel-head" },
      h("span", { class: "wp-logo" }, icon("spark", true)),
      h("span", { class: "wp-panel-title", text: this.options.title || this.t.heading }),
      countText ? h("span", { class: "wp-count", text: countText }) : null
    );
  };

  Widget.prototype.load = async function () {
    var self = this;
    var limit = Math.max(1, Math.min(10, parseInt(this.options.limit, 10) || 4));
    var results = await Promise.allSettled([
      this.client.get("/api/v1/me/recommendations?limit=" + limit),
      this.client.get("/api/v1/me/path"),
    ]);
    if (this.destroyed) return;
    var recommendations = results[0].status === "fulfilled" ? results[0].value : null;
    var path = results[1].status === "fulfilled" ? results[1].value : null;
    results.forEach(function (result) {
      if (result.status === "rejected" && !(result.reason && result.reason.status === 404)) {
        reportError(result.reason);
      }
    });
    var pathMissing = results[1].status === "rejected" && results[1].reason && results[1].reason.status === 404;
    if (!recommendations && !path && !pathMissing) {
      self.renderUnavailable();
      return;
    }
    this.recommendations = recommendations;
    this.path = path && Array.isArray(path.steps) ? path : null;
    this.statuses = {};
    if (this.path) {
      this.path.steps.forEach(function (step) {
        if (step && step.lesson) self.statuses[step.lesson.id] = step.status;
      });
    }
    this.renderHome();
    this.emit("ready", { recommendations: recommendations, path: this.path });
  };

  Widget.prototype.renderUnavailable = function () {
    clear(this.home);
    this.home.removeAttribute("aria-busy");
    append(this.home, [this.panelHead(null), h("p", { class: "wp-quiet", role: "status", text: this.t.unavailable })]);
    this.host.setAttribute("data-waypoint-state", "unavailable");
  };

  Widget.prototype.renderHome = function () {
    var t = this.t;
    var path = this.path;
    var items = (this.recommendations && this.recommendations.results) || [];
    clear(this.home);
    this.home.removeAttribute("aria-busy");
    var countText = path && path.total ? format(t.progress, { done: path.completed, total: path.total }) : null;
    append(this.home, this.panelHead(countText));

    var top = null;
    for (var i = 0; i < items.length; i++) {
      if (items[i] && items[i].lesson && this.statuses[items[i].lesson.id] !== "completed") {
        top = items[i];
        break;
      }
    }
    if (!top && path) {
      for (var j = 0; j < path.steps.length; j++) {
        if (path.steps[j].status === "next") {
          top = { lesson: path.steps[j].lesson, reasons: path.steps[j].reasons || [], source: "path" };
          break;
        }
      }
    }
    var cardSection = h("div", { class: "wp-section" });
    if (top) {
      append(cardSection, this.nextLessonCard(top));
      var more = items.filter(function (item) {
        return item && item.lesson && item !== top && item.lesson.id !== top.lesson.id;
      }, this);
      var self = this;
      more = more.filter(function (item) {
        return self.statuses[item.lesson.id] !== "completed";
      }).slice(0, 3);
      if (more.length) {
        var listId = nextId("more");
        append(
          cardSection,
          h(
            "div",
            { class: "wp-more" },
            h("span", { class: "wp-eyebrow", id: listId, text: t.moreForYou }),
            h(
              "ul",
              { "aria-labelledby": listId },
              more.map(function (item) {
                return h("li", null, self.lessonRow(item.lesson, null));
              })
            )
          )
        );
      }
    } else {
      append(cardSection, h("p", { class: "wp-hint", text: t.allCaughtUp }));
    }
    append(this.home, cardSection);
    if (path && path.steps.length) append(this.home, this.pathSection(path));
    this.host.setAttribute("data-waypoint-state", "ready");
  };

  Widget.prototype.lessonMeta = function (lesson, extra) {
    var t = this.t;
    var parts = [];
    if (extra) parts.push(h("span", { text: extra }));
    if (lesson.duration_minutes) parts.push(h("span", { text: format(t.minutes, { n: lesson.duration_minutes }) }));
    if (lesson.level) parts.push(h("span", { text: capitalise(lesson.level) }));
    parts = parts.map(function (part, index) {
      if (index) part.className = "wp-meta-dot";
      return part;
    });
    (lesson.features || []).slice(0, 2).forEach(function (feature) {
      parts.push(h("span", { class: "wp-tag", text: feature.name || feature.key }));
    });
    return h("div", { class: "wp-meta" }, parts);
  };

  function capitalise(text) {
    text = String(text || "");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  Widget.prototype.actionLabel = function (lessonId) {
    var status = this.statuses[lessonId];
    if (status === "completed") return this.t.reviewLesson;
    if (this.started && this.started[lessonId]) return this.t.continueLesson;
    return this.t.startLesson;
  };

  Widget.prototype.nextLessonCard = function (item) {
    var t = this.t;
    var self = this;
    var lesson = item.lesson;
    var titleId = nextId("next-title");
    var whyId = nextId("why");
    var reasons = (item.reasons || []).filter(function (reason) {
      return reason && reason.label;
    });
    var modelVersion = (this.recommendations && this.recommendations.model_version) || "";
    var why = null;
    var whyButton = null;
    if (reasons.length) {
      why = h(
        "div",
        { class: "wp-why", id: whyId, hidden: true },
        h("span", { class: "wp-sr", text: t.whyThisFor }),
        h(
          "ul",
          null,
          reasons.map(function (reason) {
            return h("li", { "data-kind": reason.kind || "" }, h("span", { text: reason.label }));
          })
        ),
        modelVersion ? h("p", { class: "wp-why-model", text: format(t.modelVersion, { v: modelVersion }) }) : null
      );
      whyButton = h("button", {
        type: "button",
        class: "wp-btn wp-btn--link",
        "aria-expanded": "false",
        "aria-controls": whyId,
        text: t.whyThis,
        onclick: function () {
          var open = whyButton.getAttribute("aria-expanded") !== "true";
          whyButton.setAttribute("aria-expanded", String(open));
          why.hidden = !open;
        },
      });
    }
    var openButton = h(
      "button",
      {
        type: "button",
        class: "wp-btn",
        "data-lesson-id": lesson.id,
        "data-action": "open-next",
        "aria-describedby": titleId,
        onclick: guard(function (event) {
          return self.openLesson(lesson.id, event.currentTarget);
        }),
      },
      this.actionLabel(lesson.id),
      icon("arrow")
    );
    return h(
      "article",
      {
        class: "wp-card",
        "data-testid": "next-lesson",
        "data-lesson-id": lesson.id,
        "data-source": item.source || "",
        "data-model-version": modelVersion,
        "aria-labelledby": titleId,
      },
      h("span", { class: "wp-eyebrow", text: t.upNext }),
      h("h3", { class: "wp-card-title", id: titleId, text: lesson.title }),
      lesson.summary ? h("p", { class: "wp-card-summary", text: lesson.summary }) : null,
      this.lessonMeta(lesson),
      h("div", { class: "wp-actions" }, openButton, whyButton),
      why
    );
  };

  Widget.prototype.lessonRow = function (lesson, status) {
    var t = this.t;
    var self = this;
    var statusText = status ? t[status] || status : "";
    var sub = [];
    if (lesson.duration_minutes) sub.push(format(t.minutes, { n: lesson.duration_minutes }));
    if (status && status !== "next") sub.push(statusText);
    return h(
      "button",
      {
        type: "button",
        class: "wp-row",
        "data-lesson-id": lesson.id,
        onclick: guard(function (event) {
          return self.openLesson(lesson.id, event.currentTarget);
        }),
      },
      status
        ? h(
            "span",
            { class: "wp-dot" },
            status === "completed" ? icon("check") : null
          )
        : null,
      h(
        "span",
        { class: "wp-row-main" },
        h("span", { class: "wp-row-title", text: lesson.title }),
        sub.length ? h("span", { class: "wp-row-sub", text: sub.join(" · ") }) : null,
        status ? h("span", { class: "wp-sr", text: ", " + statusText }) : null
      ),
      status === "next"
        ? h("span", { class: "wp-badge", "aria-hidden": "true", text: t.next })
        : h("span", { class: "wp-chevron" }, icon("chevron"))
    );
  };

  Widget.prototype.pathSection = function (path) {
    var t = this.t;
    var self = this;
    var total = path.total || path.steps.length;
    var done = Math.min(path.completed || 0, total);
    var percent = total ? Math.round((done / total) * 100) : 0;
    var titleId = nextId("path-title");
    var progressText = format(t.progress, { done: done, total: total });
    return h(
      "section",
      {
        class: "wp-section wp-path",
        "data-testid": "path",
        "data-path-id": path.path_id == null ? "" : path.path_id,
        "data-kind": path.kind || "",
        "data-model-version": path.model_version || "",
        "aria-labelledby": titleId,
      },
      h("span", { class: "wp-eyebrow", text: t.yourPath }),
      h("h3", { class: "wp-path-title", id: titleId, text: path.title || t.yourPath }),
      h(
        "div",
        {
          class: "wp-bar",
          role: "progressbar",
          "aria-valuemin": "0",
          "aria-valuemax": String(total),
          "aria-valuenow": String(done),
          "aria-valuetext": progressText,
          "aria-labelledby": titleId,
        },
        h("span", { style: "width:" + percent + "%" })
      ),
      h(
        "div",
        { class: "wp-progress-label" },
        h("span", { "data-testid": "path-progress", text: progressText }),
        h("span", { "aria-hidden": "true", text: percent + "%" })
      ),
      h(
        "ol",
        { class: "wp-steps", "aria-labelledby": titleId },
        path.steps.map(function (step) {
          return h(
            "li",
            { class: "wp-step", "data-status": step.status, "data-lesson-id": step.lesson.id },
            self.lessonRow(step.lesson, step.status)
          );
        })
      ),
      done >= total && total
        ? h("p", { class: "wp-done" }, h("span", { class: "wp-check" }, icon("check")), t.pathComplete)
        : null
    );
  };

  // --- Lesson drawer ---

  Widget.prototype.buildDrawer = function () {
    var self = this;
    var t = this.t;
    this.drawerBody = h("div", { class: "wp-drawer-body" });
    var dialog = h(
      "dialog",
      { class: "wp-drawer", "aria-label": t.lessonDialog, "data-testid": "lesson" },
      h(
        "div",
        { class: "wp-drawer-bar" },
        h(
          "button",
          { type: "button", class: "wp-btn wp-btn--ghost", "data-action": "back", onclick: guard(this.closeLesson, this) },
          icon("back"),
          t.back
        ),
        (this.drawerContext = h("span", { class: "wp-spacer", "aria-hidden": "true" })),
        h(
          "button",
          {
            type: "button",
            class: "wp-btn wp-btn--icon",
            "aria-label": t.close,
            "data-action": "close",
            onclick: guard(this.closeLesson, this),
          },
          icon("close")
        )
      ),
      this.drawerBody
    );
    // Escape (the dialog's "cancel") closes through the same path, so focus goes back.
    dialog.addEventListener(
      "cancel",
      guard(function (event) {
        event.preventDefault();
        self.closeLesson();
      })
    );
    dialog.addEventListener(
      "click",
      guard(function (event) {
        if (event.target === dialog) {
          var box = dialog.getBoundingClientRect();
          var inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
          if (!inside) self.closeLesson();
        }
      })
    );
    return dialog;
  };

  Widget.prototype.openLesson = async function (lessonId, opener) {
    var t = this.t;
    var self = this;
    this.opener = opener || (this.shadow.activeElement !== this.drawer ? this.shadow.activeElement : null);
    this.openerLessonId = lessonId;
    clear(this.drawerBody);
    var heading = h("h2", { class: "wp-lesson-title", tabindex: "-1", text: t.loading });
    this.drawerContext.textContent = this.pathPosition(lessonId);
    append(this.drawerBody, heading);
    if (!this.drawer.open) {
      if (typeof this.drawer.showModal === "function") this.drawer.showModal();
      else this.drawer.setAttribute("open", "");
    }
    heading.focus();
    this.host.setAttribute("data-waypoint-lesson", String(lessonId));
    var lesson;
    try {
      lesson = await this.client.get(lessonPath(lessonId));
    } catch (error) {
      reportError(error);
      if (this.openerLessonId !== lessonId) return;
      heading.textContent = t.lessonUnavailable;
      this.announce(t.lessonUnavailable);
      return;
    }
    if (this.openerLessonId !== lessonId || !this.drawer.open) return;
    this.lesson = lesson;
    this.renderLesson(lesson);
    this.emit("lesson-opened", { lesson: summaryOf(lesson) });
    if (this.statuses[lessonId] !== "completed") {
      this.client.post(lessonPath(lessonId, "/start")).then(function (progress) {
        if (!self.started) self.started = {};
        self.started[lessonId] = true;
        if (progress && progress.status === "completed" && self.lesson && self.lesson.id === lessonId) {
          self.showCompleted(false);
        }
      }, reportError);
    }
  };

  function summaryOf(lesson) {
    return {
      id: lesson.id,
      title: lesson.title,
      summary: lesson.summary,
      duration_minutes: lesson.duration_minutes,
      level: lesson.level,
      locale: lesson.locale,
      features: lesson.features,
      url: lesson.url,
    };
  }

  Widget.prototype.closeLesson = function () {
    if (this.drawer.open) {
      if (typeof this.drawer.close === "function") this.drawer.close();
      else this.drawer.removeAttribute("open");
    }
    this.host.removeAttribute("data-waypoint-lesson");
    var lessonId = this.openerLessonId;
    this.openerLessonId = null;
    this.lesson = null;
    // The home view may have been redrawn while the lesson was open (after completing
    // it): fall back to the same lesson's control, then to the next-lesson button.
    var target = this.opener && this.opener.isConnected ? this.opener : null;
    if (!target && lessonId != null) {
      target = this.home.querySelector('[data-lesson-id="' + cssEscape(lessonId) + '"] button, button[data-lesson-id="' + cssEscape(lessonId) + '"]');
    }
    if (!target) target = this.home.querySelector("button");
    this.opener = null;
    if (target) target.focus();
    this.emit("lesson-closed", { lessonId: lessonId });
  };

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(String(value)) : String(value).replace(/["\\]/g, "\\$&");
  }

  Widget.prototype.renderLesson = function (lesson) {
    var t = this.t;
    var self = this;
    clear(this.drawerBody);
    var headingId = nextId("lesson-title");
    this.drawer.setAttribute("aria-labelledby", headingId);
    this.drawer.setAttribute("data-lesson-id", lesson.id);
    this.drawerContext.textContent = this.pathPosition(lesson.id);
    var heading = h("h2", { class: "wp-lesson-title", id: headingId, tabindex: "-1", text: lesson.title });
    var article = h(
      "article",
      { class: "wp-lesson", "aria-labelledby": headingId },
      this.lessonMeta(lesson, this.statuses[lesson.id] === "completed" ? t.completed : null),
      heading,
      lesson.summary ? h("p", { class: "wp-lesson-summary", text: lesson.summary }) : null
    );
    var blocks = Array.isArray(lesson.blocks) ? lesson.blocks : null;
    if (blocks) {
      blocks.forEach(function (block) {
        var rendered = null;
        try {
          rendered = self.renderBlock(block, lesson);
        } catch (e) {
          reportError(e);
        }
        if (rendered) append(article, rendered);
      });
    } else if (lesson.html) {
      append(article, prose("div", lesson.html, "wp-block"));
    }
    this.completeBox = h("div", { class: "wp-complete" });
    append(article, [this.completeBox, this.feedbackSection(lesson), this.supportSection(lesson)]);
    append(this.drawerBody, article);
    this.drawerBody.scrollTop = 0;
    if (this.statuses[lesson.id] === "completed") this.showCompleted(false);
    else this.showCompleteButton();
    heading.focus();
  };

  Widget.prototype.pathPosition = function (lessonId) {
    var steps = (this.path && this.path.steps) || [];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i].lesson && steps[i].lesson.id === lessonId) {
        return format(this.t.stepOf, { n: i + 1, total: steps.length, path: this.path.title || "" });
      }
    }
    return "";
  };

  Widget.prototype.renderBlock = function (block, lesson) {
    var value = block.value;
    var t = this.t;
    switch (block.type) {
      case "paragraph":
        return prose("div", typeof value === "string" ? value : "", "wp-block");
      case "callout": {
        var style = ["tip", "note", "warning"].indexOf(value.style) !== -1 ? value.style : "tip";
        return h(
          "aside",
          { class: "wp-block wp-callout wp-callout--" + style, "data-block": "callout" },
          h("div", null, h("span", { class: "wp-callout-label", text: t[style] }), prose("div", value.text))
        );
      }
      case "steps":
        return h(
          "section",
          { class: "wp-block wp-steps-block", "data-block": "steps" },
          value.title ? h("h3", { text: value.title }) : null,
          h(
            "ol",
            { class: "wp-numbered" },
            (value.steps || []).map(function (step) {
              return h(
                "li",
                null,
                h("span", { class: "wp-step-title", text: step.title }),
                step.text ? prose("div", step.text) : null
              );
            })
          )
        );
      case "code":
        return this.codeBlock(value);
      case "video":
        return this.videoBlock(value);
      case "image": {
        if (!value.url || !isSafeUrl(value.url)) return null;
        return h(
          "figure",
          { class: "wp-block wp-media", "data-block": "image" },
          h("img", { src: this.absolute(value.url), alt: value.alt || "", loading: "lazy", decoding: "async" }),
          value.caption ? h("figcaption", { text: value.caption }) : null
        );
      }
      case "quiz":
        return this.quizBlock(block, lesson);
      case "try_it":
        return this.tryItBlock(value);
      default:
        return null;
    }
  };

  Widget.prototype.absolute = function (url) {
    try {
      return new URL(url, this.client.base + "/").href;
    } catch (e) {
      return "";
    }
  };

  Widget.prototype.codeBlock = function (value) {
    var t = this.t;
    var code = h("code", { text: value.code || "" });
    var copy = null;
    if (navigator.clipboard && window.isSecureContext) {
      copy = h("button", {
        type: "button",
        class: "wp-btn",
        text: t.copy,
        onclick: guard(function () {
          return navigator.clipboard.writeText(value.code || "").then(function () {
            copy.textContent = t.copied;
            setTimeout(function () {
              copy.textContent = t.copy;
            }, 1500);
          });
        }),
      });
    }
    var language = value.language && value.language !== "text" ? value.language : "";
    return h(
      "div",
      { class: "wp-block wp-code", "data-block": "code" },
      language || copy ? h("div", { class: "wp-code-bar" }, h("span", { text: language }), copy) : null,
      h("pre", { tabindex: "0" }, code)
    );
  };

  Widget.prototype.videoBlock = function (value) {
    var t = this.t;
    var frame = null;
    var embed = value.embed_url && /^https:\/\//.test(value.embed_url) ? value.embed_url : "";
    if (embed) {
      // Click to load: no request to the video host until the customer asks for it.
      var host = "";
      try {
        host = new URL(embed).hostname;
      } catch (e) {
        host = "";
      }
      frame = h("div", { class: "wp-video-frame" });
      var play = h(
        "button",
        {
          type: "button",
          class: "wp-play",
          "aria-label": t.playVideo + (value.caption ? ": " + value.caption : ""),
          onclick: guard(function () {
            var iframe = h("iframe", {
              src: embed + (embed.indexOf("?") === -1 ? "?" : "&") + "autoplay=1",
              title: value.caption || t.watchVideo,
              allow: "autoplay; encrypted-media; picture-in-picture; fullscreen",
              allowfullscreen: true,
              referrerpolicy: "strict-origin-when-cross-origin",
            });
            clear(frame);
            frame.appendChild(iframe);
            iframe.focus();
          }),
        },
        h("span", { class: "wp-play-icon" }, icon("play", true)),
        h("span", { text: t.playVideo }),
        host ? h("small", { text: format(t.videoFrom, { host: host }) }) : null
      );
      frame.appendChild(play);
    } else if (value.url && isSafeUrl(value.url)) {
      frame = h("a", { href: value.url, target: "_blank", rel: "noopener noreferrer", text: t.watchVideo });
    }
    return h(
      "figure",
      { class: "wp-block wp-media", "data-block": "video" },
      frame,
      value.caption ? h("figcaption", { text: value.caption }) : null,
      value.transcript
        ? h("details", { class: "wp-transcript" }, h("summary", { text: t.transcript }), h("p", { text: value.transcript }))
        : null
    );
  };

  Widget.prototype.tryItBlock = function (value) {
    var self = this;
    var path = String(value.path || "");
    var safe = (path.charAt(0) === "/" && path.charAt(1) !== "/") || /^https?:\/\//i.test(path);
    if (!safe) return null;
    var link = h(
      "a",
      {
        class: "wp-btn",
        href: path,
        "data-action": "try-it",
        onclick: guard(function (event) {
          // Single-page apps can route the link themselves (preventDefault on the event).
          var allowed = self.host.dispatchEvent(
            new CustomEvent("waypoint:try-it", {
              detail: { path: path, label: value.label, lesson: self.lesson && summaryOf(self.lesson) },
              bubbles: true,
              composed: true,
              cancelable: true,
            })
          );
          if (!allowed) event.preventDefault();
        }),
      },
      value.label || path,
      icon("arrow")
    );
    return h(
      "div",
      { class: "wp-block wp-try", "data-block": "try_it" },
      h("p", { text: value.description || "" }),
      link
    );
  };

  Widget.prototype.quizBlock = function (block, lesson) {
    var t = this.t;
    var self = this;
    var value = block.value || {};
    var multiple = !!value.multiple;
    var name = nextId("quiz");
    var legendId = nextId("quiz-q");
    var choices = (value.choices || []).map(function (choice, position) {
      var index = choice.index == null ? position : choice.index;
      var input = h("input", { type: multiple ? "checkbox" : "radio", name: name, value: String(index) });
      var verdict = h("span", { class: "wp-choice-verdict" });
      var label = h(
        "label",
        { class: "wp-choice", "data-index": index },
        input,
        h("span", { class: "wp-choice-box" }, h("span", { class: "wp-mark" }), h("span", { class: "wp-choice-text", text: choice.text }), verdict)
      );
      return { index: index, input: input, label: label, verdict: verdict };
    });
    var result = h("div", { class: "wp-quiz-result", role: "status", "aria-live": "polite", "data-testid": "quiz-feedback" });
    var check = h("button", { type: "submit", class: "wp-btn", text: t.checkAnswer });
    var retry = h("button", { type: "button", class: "wp-btn wp-btn--ghost", text: t.tryAgain, hidden: true });
    var form = h(
      "form",
      { class: "wp-block wp-quiz", "data-block": "quiz", "data-block-id": block.id, novalidate: true },
      h(
        "fieldset",
        null,
        h("legend", { id: legendId }, h("span", { class: "wp-eyebrow", text: t.question }), value.question || ""),
        h(
          "div",
          { class: "wp-choices" },
          choices.map(function (c) {
            return c.label;
          })
        )
      ),
      h("div", { class: "wp-actions" }, check, retry),
      result
    );
    function reset() {
      choices.forEach(function (c) {
        c.input.disabled = false;
        c.input.checked = false;
        c.label.classList.remove("is-correct", "is-wrong");
        c.verdict.textContent = "";
      });
      result.className = "wp-quiz-result";
      result.textContent = "";
      check.hidden = false;
      check.disabled = false;
      retry.hidden = true;
      if (choices[0]) choices[0].input.focus();
    }
    retry.addEventListener("click", guard(reset));
    form.addEventListener(
      "submit",
      guard(async function (event) {
        event.preventDefault();
        var answers = choices
          .filter(function (c) {
            return c.input.checked;
          })
          .map(function (c) {
            return c.index;
          });
        if (!answers.length) {
          result.className = "wp-quiz-result is-info";
          result.textContent = t.chooseFirst;
          return;
        }
        check.disabled = true;
        var outcome;
        try {
          outcome = await self.client.post(
            lessonPath(lesson.id, "/quiz/" + encodeURIComponent(block.id)),
            { answers: answers }
          );
        } catch (error) {
          reportError(error);
          check.disabled = false;
          result.className = "wp-quiz-result is-wrong";
          result.textContent = t.saveFailed;
          return;
        }
        var correctAnswers = (outcome && outcome.correct_answers) || [];
        choices.forEach(function (c) {
          c.input.disabled = true;
          var isCorrect = correctAnswers.indexOf(c.index) !== -1;
          if (isCorrect) {
            c.label.classList.add("is-correct");
            c.verdict.textContent = t.correctAnswer;
          } else if (c.input.checked) {
            c.label.classList.add("is-wrong");
            c.verdict.textContent = t.yourAnswer;
          }
        });
        clear(result);
        result.className = "wp-quiz-result " + (outcome.correct ? "is-correct" : "is-wrong");
        append(result, [
          h("strong", { text: outcome.correct ? t.correct : t.incorrect }),
          outcome.explanation ? h("span", { class: "wp-explanation", text: outcome.explanation }) : null,
        ]);
        form.setAttribute("data-answered", outcome.correct ? "correct" : "incorrect");
        check.hidden = true;
        retry.hidden = !!outcome.correct;
        if (!retry.hidden) retry.focus();
      })
    );
    return form;
  };

  Widget.prototype.showCompleteButton = function () {
    var t = this.t;
    var self = this;
    var box = this.completeBox;
    clear(box);
    box.className = "wp-complete";
    var button = h(
      "button",
      {
        type: "button",
        class: "wp-btn",
        "data-action": "complete",
        onclick: guard(async function () {
          var lesson = self.lesson;
          if (!lesson) return;
          button.disabled = true;
          var progress;
          try {
            progress = await self.client.post(lessonPath(lesson.id, "/complete"));
          } catch (error) {
            reportError(error);
            button.disabled = false;
            self.announce(t.saveFailed);
            return;
          }
          self.statuses[lesson.id] = "completed";
          self.callback("onLessonCompleted", summaryOf(lesson));
          self.emit("lesson-completed", { lesson: summaryOf(lesson), progress: progress });
          await self.reloadHome();
          if (self.lesson && self.lesson.id === lesson.id) self.showCompleted(true);
        }),
      },
      icon("check"),
      t.markComplete
    );
    append(box, [
      h("p", { class: "wp-complete-text" }, h("strong", { text: t.finished }), t.finishedHint),
      button,
    ]);
  };

  Widget.prototype.reloadHome = async function () {
    try {
      await this.load();
    } catch (error) {
      reportError(error);
    }
  };

  // Shows the completed state, and the path's next lesson to go on with.
  Widget.prototype.showCompleted = function (justNow) {
    var t = this.t;
    var self = this;
    var box = this.completeBox;
    if (!box) return;
    clear(box);
    box.className = "wp-complete is-done";
    var next = null;
    if (this.path) {
      for (var i = 0; i < this.path.steps.length; i++) {
        var step = this.path.steps[i];
        if (step.status === "next" && (!this.lesson || step.lesson.id !== this.lesson.id)) {
          next = step.lesson;
          break;
        }
      }
    }
    append(box, [
      h("span", { class: "wp-check" }, icon("check")),
      h(
        "p",
        { class: "wp-complete-text" },
        h("strong", { text: t.lessonCompleted }),
        next ? h("span", { text: format(t.nextUp, { title: next.title }) }) : null
      ),
      next
        ? h(
            "button",
            {
              type: "button",
              class: "wp-btn",
              "data-action": "open-next-lesson",
              onclick: guard(function () {
                return self.openLesson(next.id, self.opener);
              }),
            },
            t.openNext,
            icon("arrow")
          )
        : null,
    ]);
    if (justNow) this.announce(t.completedStatus);
  };

  Widget.prototype.feedbackSection = function (lesson) {
    var t = this.t;
    var self = this;
    var helpful = null;
    var note = h("p", { class: "wp-note", role: "status", "aria-live": "polite" });
    var buttons = [];
    function choose(value) {
      helpful = value;
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", String(b._value === value));
      });
      details.hidden = false;
      send({ helpful: value }, false);
    }
    function button(value, label, iconName) {
      var b = h(
        "button",
        {
          type: "button",
          class: "wp-btn wp-btn--ghost",
          "aria-pressed": "false",
          "data-helpful": String(value),
          onclick: guard(function () {
            choose(value);
          }),
        },
        icon(iconName),
        label
      );
      b._value = value;
      buttons.push(b);
      return b;
    }
    var scaleName = nextId("effort");
    var scaleLegend = nextId("effort-legend");
    var scale = h(
      "fieldset",
      { class: "wp-scale" },
      h("legend", { id: scaleLegend, text: t.effort }),
      h(
        "div",
        { class: "wp-scale-row" },
        [1, 2, 3, 4, 5, 6, 7].map(function (n) {
          var aria = n === 1 ? n + " – " + t.veryEasy : n === 7 ? n + " – " + t.veryHard : String(n);
          return h(
            "label",
            null,
            h("input", { type: "radio", name: scaleName, value: String(n), "aria-label": aria }),
            h("span", { class: "wp-scale-box", "aria-hidden": "true", text: String(n) })
          );
        })
      ),
      h("div", { class: "wp-scale-ends", "aria-hidden": "true" }, h("span", { text: t.veryEasy }), h("span", { text: t.veryHard }))
    );
    var comment = h("textarea", { name: "comment", maxlength: "2000", rows: "3" });
    var submit = h("button", { type: "submit", class: "wp-btn", text: t.sendFeedback });
    var details = h(
      "form",
      {
        hidden: true,
        novalidate: true,
        onsubmit: guard(function (event) {
          event.preventDefault();
          var body = {};
          if (helpful !== null) body.helpful = helpful;
          var checked = scale.querySelector("input:checked");
          if (checked) body.effort_score = parseInt(checked.value, 10);
          var text = comment.value.trim();
          if (text) body.comment = text.slice(0, 2000);
          return send(body, true);
        }),
      },
      scale,
      h("label", { class: "wp-field" }, h("span", { text: t.comment }), comment),
      h("div", { class: "wp-actions" }, submit)
    );
    async function send(body, final) {
      if (final) submit.disabled = true;
      try {
        await self.client.post(lessonPath(lesson.id, "/feedback"), body);
      } catch (error) {
        reportError(error);
        if (final) submit.disabled = false;
        note.className = "wp-note is-error";
        note.textContent = t.saveFailed;
        return;
      }
      if (final) {
        details.hidden = true;
        buttons.forEach(function (b) {
          b.disabled = true;
        });
        note.className = "wp-note is-ok";
        note.textContent = t.thanks;
        self.emit("feedback-sent", { lesson: summaryOf(lesson), feedback: body });
      } else {
        note.className = "wp-note";
        note.textContent = "";
      }
    }
    return h(
      "section",
      { class: "wp-footer-section", "data-testid": "feedback" },
      h("div", { class: "wp-inline" }, h("h3", { text: t.helpful }), button(true, t.yes, "thumbUp"), button(false, t.no, "thumbDown")),
      details,
      note
    );
  };

  Widget.prototype.supportSection = function (lesson) {
    var t = this.t;
    var self = this;
    var note = h("p", { class: "wp-note", role: "status", "aria-live": "polite" });
    var message = h("textarea", { name: "message", maxlength: "2000", rows: "3" });
    var submit = h("button", { type: "submit", class: "wp-btn wp-btn--ghost", "data-action": "help" }, icon("chat"), t.contactSupport);
    var form = h(
      "form",
      {
        novalidate: true,
        onsubmit: guard(async function (event) {
          event.preventDefault();
          var body = {};
          var text = message.value.trim();
          if (text) body.message = text.slice(0, 2000);
          if (self.path && self.path.path_id != null) body.path_id = self.path.path_id;
          submit.disabled = true;
          var response;
          try {
            response = await self.client.post(lessonPath(lesson.id, "/help"), body);
          } catch (error) {
            reportError(error);
            submit.disabled = false;
            note.className = "wp-note is-error";
            note.textContent = t.saveFailed;
            return;
          }
          var context = (response && response.context) || { lesson: summaryOf(lesson), message: body.message || "" };
          note.className = "wp-note is-ok";
          note.textContent = t.helpSent;
          message.value = "";
          submit.disabled = false;
          self.callback("onHelpRequested", context);
          self.emit("help-requested", context);
          // The product is opening its own support UI: the modal lesson would cover it.
          var closeOnHelp = self.options.closeLessonOnHelp;
          if (closeOnHelp == null) closeOnHelp = typeof self.options.onHelpRequested === "function";
          if (closeOnHelp) {
            self.closeLesson();
            self.announce(t.helpSent);
          }
        }),
      },
      h("label", { class: "wp-field" }, h("span", { text: t.stuckMessage }), message),
      h("div", { class: "wp-actions" }, submit)
    );
    return h(
      "section",
      { class: "wp-footer-section", "data-testid": "support" },
      h("h3", { text: t.stuck }),
      h("p", { class: "wp-hint", text: t.stuckHint }),
      form,
      note
    );
  };

  Widget.prototype.destroy = function () {
    this.destroyed = true;
    try {
      if (this.drawer.open && this.drawer.close) this.drawer.close();
    } catch (e) {
      /* already gone */
    }
    clear(this.shadow);
    this.host.removeAttribute("data-waypoint-state");
  };

  // --- Public API ------------------------------------------------------------------------

  var instances = [];

  function publicHandle(widget) {
    return {
      refresh: function () {
        return widget.reloadHome();
      },
      openLesson: function (lessonId) {
        return widget.openLesson(lessonId, null).catch(reportError);
      },
      closeLesson: function () {
        guard(widget.closeLesson, widget)();
      },
      setToken: function (token) {
        widget.client.token = String(token || "");
      },
      destroy: function () {
        guard(widget.destroy, widget)();
        instances = instances.filter(function (w) {
          return w !== widget;
        });
      },
      element: widget.host,
    };
  }

  function init(options) {
    try {
      options = options || {};
      var host = resolveTarget(options.target);
      if (!host) {
        if (document.readyState === "loading") {
          // The target may come later in the page than an early or async script.
          var handle = { pending: true };
          document.addEventListener("DOMContentLoaded", function () {
            var late = init(options);
            if (late) for (var key in late) handle[key] = late[key];
            delete handle.pending;
          });
          return handle;
        }
        reportError("target not found: " + options.target);
        return null;
      }
      instances.forEach(function (w) {
        if (w.host === host) w.destroy();
      });
      instances = instances.filter(function (w) {
        return w.host !== host;
      });
      var widget = new Widget(host, options);
      instances.push(widget);
      if (!options.key || (!options.token && typeof options.getToken !== "function")) {
        reportError("a publishable key and a customer token (or getToken) are required");
        widget.renderUnavailable();
      } else {
        widget.load().catch(function (error) {
          reportError(error);
          widget.renderUnavailable();
        });
      }
      return publicHandle(widget);
    } catch (error) {
      reportError(error);
      return null;
    }
  }

  var Waypoint = { version: VERSION, init: init };
  window.Waypoint = Waypoint;

  // Calls made before the script loaded (see the async snippet in docs/embedding.md).
  if (existing && Array.isArray(existing.q)) {
    existing.q.forEach(function (queued) {
      init(queued);
    });
  }

  // Script-tag embedding: <script src=".../widget.js" data-key data-token data-target>.
  if (SCRIPT && SCRIPT.getAttribute("data-key")) {
    init({
      key: SCRIPT.getAttribute("data-key"),
      token: SCRIPT.getAttribute("data-token") || "",
      target: SCRIPT.getAttribute("data-target") || "#waypoint",
      apiBase: SCRIPT.getAttribute("data-api-base") || undefined,
      locale: SCRIPT.getAttribute("data-locale") || undefined,
      title: SCRIPT.getAttribute("data-title") || undefined,
    });
  }
})(window, document);
