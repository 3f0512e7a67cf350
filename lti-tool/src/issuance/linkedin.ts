/**
 * LinkedIn "Add to profile" for certifications: the documented add-to-profile link
 * (https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=…&organizationName=…
 * &issueYear=…&issueMonth=…&certUrl=…&certId=…), which opens the member's own profile editor
 * prefilled. No API access or LinkedIn organisation id is needed.
 */
export interface LinkedInCertification {
  readonly name: string;
  readonly organizationName: string;
  /** LinkedIn's numeric company page id, when the issuer configured one; it replaces organizationName. */
  readonly organizationId?: string;
  readonly issuedAt: Date;
  readonly certUrl: string;
  readonly certId: string;
}

export function linkedInAddToProfileUrl(cert: LinkedInCertification): string {
  const params = new URLSearchParams({ startTask: 'CERTIFICATION_NAME', name: cert.name });
  if (cert.organizationId && /^\d+$/.test(cert.organizationId)) params.set('organizationId', cert.organizationId);
  else params.set('organizationName', cert.organizationName);
  params.set('issueYear', String(cert.issuedAt.getUTCFullYear()));
  params.set('issueMonth', String(cert.issuedAt.getUTCMonth() + 1));
  params.set('certUrl', cert.certUrl);
  params.set('certId', cert.certId);
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}
