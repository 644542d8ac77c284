// The site's mustache templates (kainjow mustache; `{{x}}` is HTML-escaped, and the only
// unescaped tag, `{{{content}}}`, takes a page body that was itself rendered from a template).
//
// Rules that keep hostile data inert: every value is interpolated with `{{ }}`; attribute values
// are always double-quoted; URLs built from data are checked before rendering (see
// page_renderer.cc); no inline styles or scripts, so the Content-Security-Policy forbids both.
#include <string_view>

namespace ck::services::public_site {

extern const std::string_view kLayoutTemplate = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · Cuddle Kube</title>
<meta name="description" content="Cuddle Kube, the retirement home for your servers.">
<meta name="theme-color" content="#fff8ef">
<link rel="icon" href="/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css?v={{asset_version}}">
<script src="/static/site.js?v={{asset_version}}" defer></script>
</head>
<body class="page-{{page}}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap header-inner">
<a class="brand" href="/"><img src="/img/logo.svg" alt="" width="48" height="48"><span class="brand-text"><span class="brand-name">Cuddle Kube</span><span class="brand-tagline">the retirement home for your servers</span></span></a>
<nav class="site-nav" aria-label="Main">
<a class="nav-home" href="/"{{#nav_home}} aria-current="page"{{/nav_home}}>Home</a>
<a href="/list"{{#nav_list}} aria-current="page"{{/nav_list}}>Residents</a>
<a href="/register"{{#nav_register}} aria-current="page"{{/nav_register}}>Request admittance</a>
</nav>
</div>
</header>
<main id="main" class="wrap">
{{{content}}}
</main>
<footer class="site-footer">
<div class="wrap"><span>Cuddle Kube · warm racks, regular feeding, no pagers.</span><span><a href="/list">Residents</a> · <a href="/register">Request admittance</a></span></div>
</footer>
</body>
</html>
)html";

extern const std::string_view kHomeTemplate = R"html(<section class="hero">
<div class="hero-text">
<p class="eyebrow">Now welcoming new residents</p>
<h1>A cosy home for servers who have given their all.</h1>
<p class="lead">After years of uptime, patch nights and 3 a.m. pages, your faithful servers deserve a rest. At Cuddle Kube they get a warm rack, regular meals and someone who still remembers their pet name.</p>
<div class="actions">
<a class="button button-primary" href="/register">Request admittance</a>
<a class="button button-secondary" href="/list">Meet the residents</a>
</div>
</div>
<div class="hero-art"><img src="/img/home.svg" alt="Two retired servers relaxing together on a sofa" width="440" height="360"></div>
</section>
<section class="amenities" aria-label="Life at Cuddle Kube">
<article class="amenity">
<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="22" fill="#e3f0e3"/><path d="M14 26h20a10 10 0 0 1-20 0z" fill="#6f9f7a"/><path d="M19 19q-2-3 0-6M24 19q-2-3 0-6M29 19q-2-3 0-6" stroke="#6f9f7a" stroke-width="2.5" fill="none" stroke-linecap="round"/></svg>
<h2>Regular meals</h2>
<p>Every resident can be fed from the residents page. Each meal makes it a little happier.</p>
</article>
<article class="amenity">
<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="22" fill="#ffe0cc"/><path d="M24 35s-10-6-10-13a5.5 5.5 0 0 1 10-3 5.5 5.5 0 0 1 10 3c0 7-10 13-10 13z" fill="#cf5f3f"/></svg>
<h2>Pet names welcome</h2>
<p>Cattle or pet, here every server is somebody. Tell us the name you really called it.</p>
</article>
<article class="amenity">
<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="22" fill="#ffe3a3"/><path d="M29 13a11 11 0 1 0 6 19 9 9 0 0 1-6-19z" fill="#b98a2b"/></svg>
<h2>No more on-call</h2>
<p>Alerts are politely declined at the door. Residents sleep soundly through the night.</p>
</article>
</section>
)html";

extern const std::string_view kResidentsTemplate = R"html(<section class="page-head">
<div>
<p class="eyebrow">Residents</p>
<h1>Meet the residents</h1>
<p class="lead">{{summary}}</p>
</div>
<a class="button button-primary" href="/register">Request admittance</a>
</section>
{{#has_residents}}
<ul class="resident-grid">
{{#residents}}
<li class="resident-card" id="resident-{{ckid}}">
<div class="resident-picture-frame"><img class="resident-picture" src="{{image}}" alt="Picture of {{name}}" width="132" height="132" loading="lazy"></div>
<h2 class="resident-name">{{name}}{{#has_petname}} <span class="petname">({{petname}})</span>{{/has_petname}}</h2>
<dl class="resident-facts">
<div><dt>Type</dt><dd>{{type}}</dd></div>
<div><dt>OS</dt><dd>{{os}}</dd></div>
<div><dt>Years in service</dt><dd>{{service}}</dd></div>
</dl>
<div class="happiness">
<div class="happiness-label"><span>Happiness</span><strong>{{happiness}}/10</strong></div>
<div class="happiness-meter happiness-{{happiness}}" role="meter" aria-label="Happiness of {{name}}" aria-valuemin="0" aria-valuemax="10" aria-valuenow="{{happiness}}" aria-valuetext="{{happiness}} of 10, {{mood}}"><span class="happiness-fill"></span></div>
<p class="mood">Feeling {{mood}}</p>
</div>
<form class="feed-form" method="post" action="/feed">
<input type="hidden" name="ckid" value="{{ckid}}">
<button class="button button-feed" type="submit" data-busy-label="Feeding…"{{^has_ckid}} disabled{{/has_ckid}}>Feed the server<span class="visually-hidden"> {{name}}</span></button>
</form>
</li>
{{/residents}}
</ul>
{{/has_residents}}
{{^has_residents}}
<div class="empty-state">
<img src="/img/server-6.svg" alt="" width="180" height="180">
<h2>All the rooms are empty</h2>
<p class="lead">Nobody lives here yet. Be the first to bring a hard-working server home to rest.</p>
<div class="actions"><a class="button button-primary" href="/register">Request admittance</a></div>
</div>
{{/has_residents}}
)html";

extern const std::string_view kRegisterTemplate = R"html(<section class="form-page">
<div class="form-intro">
<p class="eyebrow">Admissions</p>
<h1>Request admittance</h1>
<p class="lead">Tell us about the server you would like to retire. We will find it a warm rack and a friendly neighbour.</p>
<img src="/img/server-3.svg" alt="" width="220" height="220">
</div>
<form class="form-card" method="post" action="/register">
{{#has_errors}}
<div class="form-errors" role="alert">
<h2>We could not admit this server yet</h2>
<ul>
{{#errors}}<li>{{.}}</li>
{{/errors}}
</ul>
</div>
{{/has_errors}}
<div class="field">
<label for="Name">Server name</label>
<input id="Name" name="Name" type="text" value="{{name}}"{{#name_invalid}} aria-invalid="true"{{/name_invalid}} placeholder="e.g. ig.nore.me" autocomplete="off" maxlength="200">
</div>
<div class="field-row">
<div class="field">
<label for="type">Type</label>
<input id="type" name="type" type="text" value="{{type}}"{{#type_invalid}} aria-invalid="true"{{/type_invalid}} placeholder="e.g. m2.xlarge" autocomplete="off" maxlength="100">
</div>
<div class="field">
<label for="age">Years in service</label>
<input id="age" name="age" type="text" inputmode="numeric" value="{{age}}"{{#age_invalid}} aria-invalid="true"{{/age_invalid}} placeholder="e.g. 10" autocomplete="off" maxlength="4">
</div>
</div>
<div class="field">
<label for="pet">Pet name <span class="optional">(optional)</span></label>
<input id="pet" name="pet" type="text" value="{{pet}}"{{#pet_invalid}} aria-invalid="true"{{/pet_invalid}} placeholder="e.g. The ignored one" autocomplete="off" maxlength="200" aria-describedby="pet-hint">
<p class="hint" id="pet-hint">What did you call it when nobody was listening?</p>
</div>
<div class="field">
<label for="os">Operating system</label>
<input id="os" name="os" type="text" value="{{os}}"{{#os_invalid}} aria-invalid="true"{{/os_invalid}} placeholder="e.g. linux" list="os-suggestions" autocomplete="off" maxlength="100">
<datalist id="os-suggestions"><option value="linux"><option value="OpenBSD"><option value="FreeBSD"><option value="Windows Server"><option value="Solaris"></datalist>
</div>
<button class="button button-primary" type="submit" data-busy-label="Sending…">Request admittance</button>
</form>
</section>
)html";

extern const std::string_view kMessageTemplate = R"html(<section class="message-page">
<img src="{{picture}}" alt="" width="180" height="180">
<p class="eyebrow">{{eyebrow}}</p>
<h1>{{heading}}</h1>
<p class="lead">{{message}}</p>
{{#has_detail}}
<div class="error-detail"><p>The <strong>{{backend}}</strong> service could not help: <code>{{detail}}</code></p></div>
{{/has_detail}}
<div class="actions">
{{#has_retry}}<a class="button button-primary" href="{{retry_href}}">{{retry_label}}</a>{{/has_retry}}
<a class="button button-secondary" href="/">Back to the home page</a>
</div>
</section>
)html";

}  // namespace ck::services::public_site
