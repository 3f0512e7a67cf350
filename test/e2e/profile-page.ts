/** A LinkedIn-like profile page (the structure of test/fixtures/pages/linkedin-certifications/profile.html) listing the given certifications. */
export interface Certification {
  readonly name: string;
  readonly issuer: string;
  readonly url: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function certificationItem(c: Certification): string {
  return `<li class="artdeco-list__item pvs-list__item--line-separated"><div class="pvs-entity pvs-entity--padded">
  <div class="mr1 hoverable-link-text t-bold"><span aria-hidden="true">${escape(c.name)}</span><span class="visually-hidden">${escape(c.name)}</span></div>
  <span class="t-14 t-normal"><span aria-hidden="true">${escape(c.issuer)}</span></span>
  <span class="t-14 t-normal t-black--light"><span aria-hidden="true">Issued Jan 2026</span></span>
  <div class="pvs-entity__sub-components"><ul><li><a class="artdeco-button artdeco-button--secondary" target="_blank" href="${escape(c.url)}"><span class="artdeco-button__text">Show credential</span></a></li></ul></div>
</div></li>`;
}

export function profilePage(name: string, certifications: readonly Certification[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(name)} | LinkedIn</title>
<style>body{font:14px system-ui;margin:0;background:#f4f2ee}main{max-width:720px;margin:16px auto}section{background:#fff;border-radius:8px;padding:16px 24px;margin-bottom:8px}ul{list-style:none;padding:0}li{padding:8px 0}.t-bold{font-weight:600}.visually-hidden{position:absolute;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden}.t-14{display:block;color:#555}a.artdeco-button{display:inline-block;margin-top:4px;border:1px solid #666;border-radius:16px;padding:2px 12px;color:#333;text-decoration:none}</style>
</head><body><main id="main">
<section class="pv-top-card"><h1 class="text-heading-xlarge">${escape(name)}</h1><div>Data analyst, public sector</div></section>
<section class="pv-profile-card"><div id="licenses_and_certifications"></div>
<h2 class="pvs-header__title"><span aria-hidden="true">Licenses &amp; certifications</span><span class="visually-hidden">Licenses &amp; certifications</span></h2>
<ul class="pvs-list" id="certifications">
${certifications.map(certificationItem).join('\n')}
</ul></section></main></body></html>`;
}
