/** LTI Dynamic Registration 1.0 §3.6: did the tool's last registration page post org.imsglobal.lti.close? */
import type { BrowserPage } from './browser.ts';

/** Whether the page would post {subject: 'org.imsglobal.lti.close'}: its scripts (inline or fetched) or a data-lti-close marker. */
export async function sawCloseMessage(page: BrowserPage): Promise<boolean> {
  if (/\bdata-lti-close\b/.test(page.html)) return true;
  for (const script of page.scripts) {
    if (script.text.includes('org.imsglobal.lti.close')) return true;
    if (script.src) {
      const text = await page.browser.subresource(script.src, page);
      if (text?.includes('org.imsglobal.lti.close')) return true;
    }
  }
  return false;
}
