// The site's pictures, served under /img/ (see static_assets.h): six retired servers (register-api
// hands out /img/server-<n>.svg as resident pictures), the home page scene and the logo.
//
// Hand-drawn SVG with presentation attributes only (no <style>, no scripts), so each file is
// inert and small.
#include <string_view>

namespace ck::services::public_site {

// A server in a knitted beanie.
extern const std::string_view kServer1Svg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="A retired tower server in a knitted beanie">
<ellipse cx="100" cy="184" rx="58" ry="8" fill="#3b2f2a" opacity=".08"/>
<rect x="66" y="172" width="20" height="10" rx="4" fill="#3b2f2a"/><rect x="114" y="172" width="20" height="10" rx="4" fill="#3b2f2a"/>
<rect x="56" y="58" width="88" height="118" rx="16" fill="#f4a582" stroke="#3b2f2a" stroke-width="4"/>
<rect x="70" y="82" width="60" height="8" rx="4" fill="#fff" opacity=".6"/><rect x="70" y="96" width="60" height="8" rx="4" fill="#fff" opacity=".6"/>
<path d="M58 64 C58 22 142 22 142 64 Z" fill="#8fb996" stroke="#3b2f2a" stroke-width="4" stroke-linejoin="round"/>
<path d="M80 34 L80 62 M100 28 L100 62 M120 34 L120 62" stroke="#6f9f7a" stroke-width="4" stroke-linecap="round"/>
<rect x="50" y="56" width="100" height="16" rx="8" fill="#6f9f7a" stroke="#3b2f2a" stroke-width="4"/>
<circle cx="100" cy="22" r="11" fill="#fff8ef" stroke="#3b2f2a" stroke-width="4"/>
<circle cx="86" cy="126" r="6" fill="#3b2f2a"/><circle cx="114" cy="126" r="6" fill="#3b2f2a"/>
<circle cx="88" cy="124" r="2" fill="#fff"/><circle cx="116" cy="124" r="2" fill="#fff"/>
<ellipse cx="74" cy="140" rx="7" ry="4.5" fill="#e0566b" opacity=".4"/><ellipse cx="126" cy="140" rx="7" ry="4.5" fill="#e0566b" opacity=".4"/>
<path d="M91 139 q9 9 18 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<circle cx="72" cy="160" r="4" fill="#5fb37a"/><circle cx="85" cy="160" r="4" fill="#ffd166"/>
</svg>
)svg";

// A rack server with reading glasses.
extern const std::string_view kServer2Svg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="A retired rack server wearing reading glasses">
<ellipse cx="100" cy="170" rx="82" ry="8" fill="#3b2f2a" opacity=".08"/>
<rect x="16" y="84" width="14" height="26" rx="4" fill="#7d93b5" stroke="#3b2f2a" stroke-width="4"/><rect x="170" y="84" width="14" height="26" rx="4" fill="#7d93b5" stroke="#3b2f2a" stroke-width="4"/>
<rect x="26" y="70" width="148" height="90" rx="16" fill="#a9bedc" stroke="#3b2f2a" stroke-width="4"/>
<path d="M42 88 v24 M52 88 v24 M62 88 v24 M138 88 v24 M148 88 v24 M158 88 v24" stroke="#7d93b5" stroke-width="4" stroke-linecap="round"/>
<rect x="40" y="128" width="34" height="9" rx="4.5" fill="#fff" opacity=".6"/><rect x="126" y="128" width="34" height="9" rx="4.5" fill="#fff" opacity=".6"/>
<circle cx="86" cy="104" r="5" fill="#3b2f2a"/><circle cx="114" cy="104" r="5" fill="#3b2f2a"/>
<circle cx="86" cy="104" r="12" fill="#fff" fill-opacity=".35" stroke="#3b2f2a" stroke-width="3.5"/><circle cx="114" cy="104" r="12" fill="#fff" fill-opacity=".35" stroke="#3b2f2a" stroke-width="3.5"/>
<path d="M98 103 q2 -4 4 0" fill="none" stroke="#3b2f2a" stroke-width="3.5"/>
<ellipse cx="72" cy="124" rx="6" ry="4" fill="#e0566b" opacity=".35"/><ellipse cx="128" cy="124" rx="6" ry="4" fill="#e0566b" opacity=".35"/>
<path d="M92 126 q8 7 16 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<circle cx="46" cy="148" r="3.5" fill="#5fb37a"/><circle cx="56" cy="148" r="3.5" fill="#5fb37a"/><circle cx="154" cy="148" r="3.5" fill="#ffd166"/>
<rect x="44" y="158" width="18" height="8" rx="3" fill="#3b2f2a"/><rect x="138" y="158" width="18" height="8" rx="3" fill="#3b2f2a"/>
</svg>
)svg";

// A server having a cup of tea.
extern const std::string_view kServer3Svg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="A retired tower server enjoying a cup of tea">
<ellipse cx="100" cy="184" rx="76" ry="8" fill="#3b2f2a" opacity=".08"/>
<rect x="46" y="172" width="18" height="10" rx="4" fill="#3b2f2a"/><rect x="92" y="172" width="18" height="10" rx="4" fill="#3b2f2a"/>
<rect x="36" y="40" width="84" height="136" rx="16" fill="#a8d8c0" stroke="#3b2f2a" stroke-width="4"/>
<rect x="50" y="56" width="56" height="8" rx="4" fill="#fff" opacity=".6"/><rect x="50" y="70" width="56" height="8" rx="4" fill="#fff" opacity=".6"/><rect x="50" y="84" width="56" height="8" rx="4" fill="#fff" opacity=".6"/>
<circle cx="64" cy="118" r="5.5" fill="#3b2f2a"/><circle cx="92" cy="118" r="5.5" fill="#3b2f2a"/>
<circle cx="66" cy="116" r="2" fill="#fff"/><circle cx="94" cy="116" r="2" fill="#fff"/>
<ellipse cx="54" cy="132" rx="6" ry="4" fill="#e0566b" opacity=".4"/><ellipse cx="102" cy="132" rx="6" ry="4" fill="#e0566b" opacity=".4"/>
<path d="M70 130 q8 9 16 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<circle cx="52" cy="158" r="4" fill="#5fb37a"/>
<path d="M134 150 h40 l-4 24 a8 8 0 0 1 -8 6 h-16 a8 8 0 0 1 -8 -6 Z" fill="#fff8ef" stroke="#3b2f2a" stroke-width="4" stroke-linejoin="round"/>
<path d="M174 156 a9 9 0 0 1 0 16" fill="none" stroke="#3b2f2a" stroke-width="4"/>
<path d="M140 160 h28" stroke="#cf5f3f" stroke-width="4" stroke-linecap="round"/>
<path d="M146 140 q-6 -8 0 -16 q6 -8 0 -16 M160 140 q-6 -8 0 -16 q6 -8 0 -16" fill="none" stroke="#b9a89c" stroke-width="3.5" stroke-linecap="round"/>
</svg>
)svg";

// A dapper server with a bow tie.
extern const std::string_view kServer4Svg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="A dapper retired server wearing a bow tie">
<ellipse cx="100" cy="184" rx="58" ry="8" fill="#3b2f2a" opacity=".08"/>
<rect x="66" y="172" width="20" height="10" rx="4" fill="#3b2f2a"/><rect x="114" y="172" width="20" height="10" rx="4" fill="#3b2f2a"/>
<rect x="54" y="30" width="92" height="146" rx="16" fill="#cdbbe6" stroke="#3b2f2a" stroke-width="4"/>
<rect x="54" y="30" width="92" height="30" rx="16" fill="#b39ad6"/><rect x="54" y="30" width="92" height="146" rx="16" fill="none" stroke="#3b2f2a" stroke-width="4"/>
<circle cx="76" cy="45" r="4" fill="#5fb37a"/><circle cx="90" cy="45" r="4" fill="#5fb37a"/>
<circle cx="86" cy="90" r="6" fill="#3b2f2a"/><circle cx="114" cy="90" r="6" fill="#3b2f2a"/>
<circle cx="88" cy="88" r="2" fill="#fff"/><circle cx="116" cy="88" r="2" fill="#fff"/>
<ellipse cx="74" cy="104" rx="7" ry="4.5" fill="#e0566b" opacity=".4"/><ellipse cx="126" cy="104" rx="7" ry="4.5" fill="#e0566b" opacity=".4"/>
<path d="M91 103 q9 9 18 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<path d="M100 128 l-22 -12 v24 Z M100 128 l22 -12 v24 Z" fill="#cf5f3f" stroke="#3b2f2a" stroke-width="4" stroke-linejoin="round"/>
<circle cx="100" cy="128" r="6" fill="#a9472b" stroke="#3b2f2a" stroke-width="3"/>
<circle cx="100" cy="148" r="3.5" fill="#3b2f2a"/><circle cx="100" cy="162" r="3.5" fill="#3b2f2a"/>
</svg>
)svg";

// A wise old server with a flat cap and a walking cane.
extern const std::string_view kServer5Svg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="A wise old server with a flat cap and a walking cane">
<ellipse cx="100" cy="184" rx="70" ry="8" fill="#3b2f2a" opacity=".08"/>
<rect x="58" y="172" width="20" height="10" rx="4" fill="#3b2f2a"/><rect x="106" y="172" width="20" height="10" rx="4" fill="#3b2f2a"/>
<rect x="48" y="62" width="88" height="114" rx="16" fill="#ffd98a" stroke="#3b2f2a" stroke-width="4"/>
<path d="M50 70 C52 40 132 36 138 62 L150 66 C152 72 146 76 138 74 L50 76 Z" fill="#8c7b70" stroke="#3b2f2a" stroke-width="4" stroke-linejoin="round"/>
<rect x="62" y="90" width="60" height="8" rx="4" fill="#fff" opacity=".6"/>
<path d="M70 122 q8 -6 16 0 M98 122 q8 -6 16 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<ellipse cx="68" cy="136" rx="7" ry="4.5" fill="#e0566b" opacity=".4"/><ellipse cx="116" cy="136" rx="7" ry="4.5" fill="#e0566b" opacity=".4"/>
<path d="M82 136 q10 10 20 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<circle cx="64" cy="160" r="4" fill="#5fb37a"/>
<path d="M162 182 V104 a12 12 0 0 0 -24 0" fill="none" stroke="#7a4a2e" stroke-width="7" stroke-linecap="round"/>
</svg>
)svg";

// A sleepy server tucked under a blanket.
extern const std::string_view kServer6Svg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="A sleepy retired server tucked under a blanket">
<ellipse cx="100" cy="184" rx="66" ry="8" fill="#3b2f2a" opacity=".08"/>
<rect x="52" y="52" width="96" height="124" rx="16" fill="#f7c59f" stroke="#3b2f2a" stroke-width="4"/>
<rect x="66" y="68" width="68" height="8" rx="4" fill="#fff" opacity=".6"/>
<path d="M74 102 q8 7 16 0 M110 102 q8 7 16 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<ellipse cx="72" cy="116" rx="7" ry="4.5" fill="#e0566b" opacity=".4"/><ellipse cx="128" cy="116" rx="7" ry="4.5" fill="#e0566b" opacity=".4"/>
<ellipse cx="100" cy="120" rx="5" ry="6" fill="#3b2f2a"/>
<path d="M40 136 Q100 122 160 136 L166 178 Q100 190 34 178 Z" fill="#e8907c" stroke="#3b2f2a" stroke-width="4" stroke-linejoin="round"/>
<path d="M40 152 Q100 140 162 152 M38 166 Q100 156 164 166" fill="none" stroke="#fff8ef" stroke-width="4" stroke-dasharray="8 7" stroke-linecap="round"/>
<text x="150" y="52" font-family="Georgia, serif" font-size="26" font-weight="700" fill="#7d93b5">z</text>
<text x="164" y="34" font-family="Georgia, serif" font-size="20" font-weight="700" fill="#7d93b5">z</text>
<text x="176" y="20" font-family="Georgia, serif" font-size="15" font-weight="700" fill="#7d93b5">z</text>
</svg>
)svg";

// The home page scene: two residents on a sofa.
extern const std::string_view kHomeSvg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 440 360" role="img" aria-label="Two retired servers relaxing together on a sofa">
<circle cx="330" cy="92" r="66" fill="#ffd98a" opacity=".55"/>
<ellipse cx="220" cy="330" rx="200" ry="16" fill="#3b2f2a" opacity=".08"/>
<path d="M378 120 c-10 -16 -36 -8 -30 12 c4 12 30 26 30 26 c0 0 26 -14 30 -26 c6 -20 -20 -28 -30 -12 Z" fill="#e8907c" stroke="#3b2f2a" stroke-width="4" stroke-linejoin="round"/>
<rect x="70" y="176" width="300" height="100" rx="32" fill="#cf5f3f" stroke="#3b2f2a" stroke-width="4"/>
<rect x="150" y="72" width="80" height="170" rx="16" fill="#a8d8c0" stroke="#3b2f2a" stroke-width="4"/>
<rect x="164" y="90" width="52" height="8" rx="4" fill="#fff" opacity=".6"/><rect x="164" y="104" width="52" height="8" rx="4" fill="#fff" opacity=".6"/>
<circle cx="178" cy="146" r="6" fill="#3b2f2a"/><circle cx="204" cy="146" r="6" fill="#3b2f2a"/>
<circle cx="180" cy="144" r="2" fill="#fff"/><circle cx="206" cy="144" r="2" fill="#fff"/>
<ellipse cx="166" cy="160" rx="6" ry="4" fill="#e0566b" opacity=".4"/><ellipse cx="216" cy="160" rx="6" ry="4" fill="#e0566b" opacity=".4"/>
<path d="M183 158 q8 9 16 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<path d="M144 68 C144 32 236 32 236 70 Z" fill="#8fb996" stroke="#3b2f2a" stroke-width="4" stroke-linejoin="round"/>
<rect x="140" y="62" width="100" height="14" rx="7" fill="#6f9f7a" stroke="#3b2f2a" stroke-width="4"/>
<circle cx="190" cy="32" r="10" fill="#fff8ef" stroke="#3b2f2a" stroke-width="4"/>
<rect x="252" y="112" width="84" height="130" rx="16" fill="#cdbbe6" stroke="#3b2f2a" stroke-width="4"/>
<rect x="266" y="128" width="56" height="8" rx="4" fill="#fff" opacity=".6"/>
<path d="M270 170 q7 6 14 0 M304 170 q7 6 14 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<ellipse cx="268" cy="184" rx="6" ry="4" fill="#e0566b" opacity=".4"/><ellipse cx="320" cy="184" rx="6" ry="4" fill="#e0566b" opacity=".4"/>
<path d="M286 186 q8 7 16 0" fill="none" stroke="#3b2f2a" stroke-width="4" stroke-linecap="round"/>
<path d="M120 218 Q230 200 340 212 L344 262 Q230 276 116 262 Z" fill="#ffd98a" stroke="#3b2f2a" stroke-width="4" stroke-linejoin="round"/>
<path d="M124 234 Q230 218 340 228 M122 250 Q230 236 342 246" fill="none" stroke="#fff8ef" stroke-width="4" stroke-dasharray="9 8" stroke-linecap="round"/>
<rect x="50" y="230" width="340" height="58" rx="22" fill="#d9775b" stroke="#3b2f2a" stroke-width="4"/>
<rect x="30" y="196" width="52" height="100" rx="24" fill="#cf5f3f" stroke="#3b2f2a" stroke-width="4"/>
<rect x="358" y="196" width="52" height="100" rx="24" fill="#cf5f3f" stroke="#3b2f2a" stroke-width="4"/>
<rect x="64" y="292" width="16" height="26" rx="4" fill="#3b2f2a"/><rect x="360" y="292" width="16" height="26" rx="4" fill="#3b2f2a"/>
</svg>
)svg";

// The logo (also the favicon): a smiling server on a terracotta tile, with a heart.
extern const std::string_view kLogoSvg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Cuddle Kube">
<rect x="2" y="2" width="60" height="60" rx="16" fill="#cf5f3f"/>
<rect x="17" y="15" width="30" height="38" rx="7" fill="#fff8ef"/>
<rect x="22" y="21" width="20" height="3.5" rx="1.75" fill="#f2c4b4"/>
<circle cx="26.5" cy="35" r="2.6" fill="#3b2f2a"/><circle cx="37.5" cy="35" r="2.6" fill="#3b2f2a"/>
<path d="M28 41 q4 4 8 0" fill="none" stroke="#3b2f2a" stroke-width="2.4" stroke-linecap="round"/>
<path d="M49 9 c-2.5 -4 -9 -2 -7.5 3 c1 3 7.5 6.5 7.5 6.5 c0 0 6.5 -3.5 7.5 -6.5 c1.5 -5 -5 -7 -7.5 -3 Z" fill="#ffd98a" stroke="#3b2f2a" stroke-width="2" stroke-linejoin="round"/>
</svg>
)svg";

}  // namespace ck::services::public_site
