// The site's stylesheet, served as /static/style.css (see static_assets.h).
//
// A warm "retirement home" look: cream paper, terracotta and sage, serif headings, rounded cards.
// System fonts only (the site must work offline); no inline styles anywhere, so the
// Content-Security-Policy can forbid them. Layout is mobile-first with one breakpoint per
// component.
#include <string_view>

namespace ck::services::public_site {

extern const std::string_view kSiteStyleCss = R"css(:root {
  --cream: #fff8ef;
  --paper: #ffffff;
  --ink: #3b2f2a;
  --muted: #7a675c;
  --line: #f0dfcc;
  --terracotta: #cf5f3f;
  --terracotta-dark: #a9472b;
  --peach: #ffe0cc;
  --sage: #6f9f7a;
  --sage-dark: #4c7a57;
  --sage-light: #e3f0e3;
  --butter: #ffe3a3;
  --rose: #fbe3e0;
  --rose-dark: #b3402f;
  --radius: 18px;
  --shadow: 0 1px 2px rgba(95, 55, 30, .06), 0 8px 24px rgba(95, 55, 30, .10);
  --serif: "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Georgia, serif;
  --sans: ui-rounded, "SF Pro Rounded", "Segoe UI", system-ui, -apple-system, "Helvetica Neue",
    Arial, sans-serif;
}

*, *::before, *::after { box-sizing: border-box; }

html { -webkit-text-size-adjust: 100%; background: var(--cream); }

body {
  margin: 0;
  min-height: 100vh;
  display: flex;
  flex-direction: column;
  font-family: var(--sans);
  font-size: 17px;
  line-height: 1.55;
  color: var(--ink);
  background:
    radial-gradient(1200px 500px at 85% -120px, var(--peach), transparent 70%),
    radial-gradient(900px 400px at -10% 10%, #fdebd6, transparent 70%),
    var(--cream);
  background-repeat: no-repeat;
}

img { max-width: 100%; height: auto; }

a { color: var(--terracotta-dark); text-underline-offset: 3px; }
a:hover { color: var(--terracotta); }

h1, h2, h3 { font-family: var(--serif); line-height: 1.2; margin: 0 0 .5rem; }
h1 { font-size: clamp(2rem, 5vw, 3rem); letter-spacing: -.01em; }
h2 { font-size: 1.35rem; }

:focus-visible { outline: 3px solid var(--terracotta); outline-offset: 3px; border-radius: 6px; }

.wrap { width: 100%; max-width: 1120px; margin: 0 auto; padding: 0 20px; }

.skip-link {
  position: absolute; left: 12px; top: -60px; z-index: 10;
  background: var(--ink); color: #fff; padding: 10px 16px; border-radius: 10px;
}
.skip-link:focus { top: 12px; color: #fff; }

.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap;
}

/* Header */
.site-header {
  border-bottom: 1px solid var(--line);
  background: rgba(255, 248, 239, .85);
}
.header-inner {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: 10px 24px; padding-top: 14px; padding-bottom: 14px;
}
.brand { display: flex; align-items: center; gap: 12px; text-decoration: none; color: var(--ink); }
.brand:hover { color: var(--ink); }
.brand img { width: 48px; height: 48px; flex: none; }
.brand-text { display: flex; flex-direction: column; line-height: 1.15; }
.brand-name { font-family: var(--serif); font-size: 1.45rem; font-weight: 700; }
.brand-tagline { font-size: .85rem; color: var(--muted); }
.site-nav { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.site-nav a {
  padding: 8px 14px; border-radius: 999px; text-decoration: none; color: var(--ink);
  font-weight: 600;
}
.site-nav a:hover { background: var(--peach); }
.site-nav a[aria-current="page"] { background: var(--ink); color: var(--cream); }

main.wrap { flex: 1; padding-top: 44px; padding-bottom: 56px; }

/* Buttons */
.button {
  display: inline-flex; align-items: center; justify-content: center; gap: 8px;
  min-height: 46px; padding: 10px 22px; border-radius: 999px; border: 2px solid transparent;
  font: inherit; font-weight: 700; text-decoration: none; cursor: pointer;
  transition: transform .12s ease, background-color .12s ease, box-shadow .12s ease;
}
.button:hover { transform: translateY(-1px); }
.button:active { transform: translateY(1px); }
.button-primary { background: var(--terracotta); color: #fff; box-shadow: 0 4px 0 var(--terracotta-dark); }
.button-primary:hover { background: #d96c4c; color: #fff; }
.button-secondary { background: transparent; color: var(--ink); border-color: var(--ink); }
.button-secondary:hover { background: var(--ink); color: var(--cream); }
.button-feed { width: 100%; background: var(--sage); color: #fff; box-shadow: 0 4px 0 var(--sage-dark); }
.button-feed:hover { background: #7cae87; color: #fff; }
.button[disabled] { opacity: .55; cursor: not-allowed; transform: none; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 24px; }

.eyebrow {
  margin: 0 0 8px; font-size: .8rem; font-weight: 700; letter-spacing: .12em;
  text-transform: uppercase; color: var(--terracotta-dark);
}
.lead { font-size: 1.12rem; color: var(--muted); max-width: 38rem; margin: 0; }

/* Home */
.hero { display: grid; gap: 24px; align-items: center; }
.hero-art { text-align: center; }
.hero-art img { width: min(440px, 100%); }
.amenities { display: grid; gap: 18px; margin-top: 48px; }
.amenity {
  background: var(--paper); border-radius: var(--radius); box-shadow: var(--shadow);
  padding: 22px 22px 20px; display: grid; grid-template-columns: 48px 1fr; gap: 4px 14px;
}
.amenity svg { grid-row: span 2; width: 48px; height: 48px; }
.amenity h2 { font-size: 1.15rem; margin: 4px 0 0; }
.amenity p { margin: 0; color: var(--muted); font-size: .98rem; }

/* Residents */
.page-head {
  display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between;
  gap: 16px; margin-bottom: 28px;
}
.resident-grid {
  list-style: none; margin: 0; padding: 0; display: grid; gap: 22px;
  grid-template-columns: repeat(auto-fill, minmax(250px, 1fr));
}
.resident-card {
  display: flex; flex-direction: column; gap: 14px; padding: 18px 18px 20px;
  background: var(--paper); border-radius: var(--radius); box-shadow: var(--shadow);
  border: 2px solid transparent; scroll-margin-top: 24px;
}
.resident-card:target { border-color: var(--sage); animation: fed 1.2s ease; }
.resident-picture-frame {
  display: grid; place-items: center; border-radius: 14px; padding: 10px 0 4px;
  background: linear-gradient(180deg, var(--peach), #fff4ea);
}
.resident-picture { width: 132px; height: 132px; }
.resident-name { font-size: 1.3rem; margin: 0; overflow-wrap: anywhere; }
.petname { display: block; font-family: var(--sans); font-size: .95rem; font-style: italic; color: var(--muted); font-weight: 400; }
.resident-facts { margin: 0; border-top: 1px dashed var(--line); }
.resident-facts div {
  display: flex; justify-content: space-between; align-items: baseline; gap: 12px;
  padding: 6px 0; border-bottom: 1px dashed var(--line);
}
.resident-facts dt { font-size: .9rem; color: var(--muted); flex: none; }
.resident-facts dd { margin: 0; font-weight: 700; text-align: right; min-width: 0; overflow-wrap: anywhere; }
.happiness-label { display: flex; justify-content: space-between; font-size: .9rem; margin-bottom: 6px; }
.mood { margin: 6px 0 0; font-size: .85rem; color: var(--muted); }
.happiness-meter { height: 14px; border-radius: 999px; background: #f3e6d8; overflow: hidden; }
.happiness-fill {
  display: block; height: 100%; width: 0; border-radius: 999px;
  background: linear-gradient(90deg, #e8907c, var(--butter) 55%, var(--sage));
  background-size: 300px 100%;
}
.happiness-1 .happiness-fill { width: 10%; }
.happiness-2 .happiness-fill { width: 20%; }
.happiness-3 .happiness-fill { width: 30%; }
.happiness-4 .happiness-fill { width: 40%; }
.happiness-5 .happiness-fill { width: 50%; }
.happiness-6 .happiness-fill { width: 60%; }
.happiness-7 .happiness-fill { width: 70%; }
.happiness-8 .happiness-fill { width: 80%; }
.happiness-9 .happiness-fill { width: 90%; }
.happiness-10 .happiness-fill { width: 100%; }
.feed-form { margin: auto 0 0; }
.empty-state, .message-page {
  text-align: center; max-width: 560px; margin: 0 auto; padding: 24px 0;
  display: flex; flex-direction: column; align-items: center;
}
.empty-state img, .message-page img { width: 180px; height: 180px; margin-bottom: 12px; }
.message-page .actions, .empty-state .actions { justify-content: center; }
.message-page .lead, .empty-state .lead { margin: 0 auto; }

/* Forms */
.form-page { display: grid; gap: 28px; align-items: start; }
.form-intro img { display: none; width: 220px; margin-top: 24px; }
.form-card {
  background: var(--paper); border-radius: var(--radius); box-shadow: var(--shadow);
  padding: 24px 20px; display: grid; gap: 18px;
}
.field { display: grid; gap: 6px; min-width: 0; }
.field label { font-weight: 700; }
.optional { font-weight: 400; color: var(--muted); }
.hint { margin: 0; font-size: .88rem; color: var(--muted); }
.field-row { display: grid; gap: 18px; }
.field input {
  width: 100%; font: inherit; font-size: 1rem; color: var(--ink); background: #fffdfa;
  padding: 12px 14px; border: 2px solid var(--line); border-radius: 12px;
}
.field input[aria-invalid="true"] { border-color: var(--rose-dark); background: #fff7f5; }
.field input:focus { outline: none; border-color: var(--terracotta); box-shadow: 0 0 0 4px rgba(207, 95, 63, .18); }
.form-errors {
  background: var(--rose); border-left: 6px solid var(--rose-dark); border-radius: 12px;
  padding: 14px 18px;
}
.form-errors h2 { font-size: 1.1rem; color: var(--rose-dark); }
.form-errors ul { margin: 0; padding-left: 20px; }
.form-card .button-primary { justify-self: start; }

/* Error pages */
.error-detail {
  margin-top: 20px; width: 100%; text-align: left; background: var(--paper);
  border-radius: 14px; box-shadow: var(--shadow); padding: 14px 18px; border-left: 6px solid var(--butter);
}
.error-detail p { margin: 0; }
.error-detail code { font-size: .9rem; overflow-wrap: anywhere; white-space: pre-wrap; }

/* Footer */
.site-footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
.site-footer .wrap { padding-top: 18px; padding-bottom: 22px; display: flex; flex-wrap: wrap; gap: 6px 16px; justify-content: space-between; }

@keyframes fed {
  0% { box-shadow: 0 0 0 0 rgba(111, 159, 122, .6); }
  100% { box-shadow: 0 0 0 18px rgba(111, 159, 122, 0); }
}

@media (max-width: 520px) {
  body { font-size: 16px; }
  .brand-tagline { display: none; }
  .brand img { width: 40px; height: 40px; }
  .site-nav { width: 100%; gap: 4px; }
  .site-nav a { padding: 6px 12px; }
  .site-nav .nav-home { display: none; }
  main.wrap { padding-top: 28px; }
  .page-head .button, .hero .button { width: 100%; }
  .resident-card { display: grid; grid-template-columns: 88px 1fr; align-items: center; gap: 12px 14px; }
  .resident-picture-frame { padding: 6px; }
  .resident-picture { width: 76px; height: 76px; }
  .resident-facts, .happiness, .feed-form { grid-column: 1 / -1; }
}

@media (min-width: 640px) {
  .amenities { grid-template-columns: repeat(3, 1fr); }
  .amenity { grid-template-columns: 1fr; }
  .amenity svg { grid-row: auto; }
  .field-row { grid-template-columns: 2fr 1fr; }
  .form-card { padding: 30px 32px; }
}

@media (min-width: 860px) {
  .hero { grid-template-columns: 1.15fr 1fr; gap: 40px; }
  .form-page { grid-template-columns: 1fr 1.3fr; gap: 48px; }
  .form-intro { position: sticky; top: 24px; }
  .form-intro img { display: block; }
}

@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; }
}
)css";

}  // namespace ck::services::public_site
