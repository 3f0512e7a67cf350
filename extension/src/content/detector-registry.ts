/**
 * Every detector, in the order their candidates win when two find the same credential (the
 * LinkedIn entry knows the certification's name; a bare link does not). A conventions test checks
 * that every file in ./detectors/ is listed here and has fixtures.
 */
import type { Detector } from './detector.ts';
import { detector as linkedinCertifications } from './detectors/linkedin-certifications.ts';
import { detector as credentialPageLink } from './detectors/credential-page-link.ts';
import { detector as badgePlatformLink } from './detectors/badge-platform-link.ts';
import { detector as alternateLink } from './detectors/alternate-link.ts';
import { detector as embeddedVcScript } from './detectors/embedded-vc-script.ts';
import { detector as jsonLdCredential } from './detectors/json-ld-credential.ts';
import { detector as vcJwtText } from './detectors/vc-jwt-text.ts';
import { detector as bakedBadgeImage } from './detectors/baked-badge-image.ts';

export const DETECTORS: readonly Detector[] = [
  linkedinCertifications,
  credentialPageLink,
  badgePlatformLink,
  alternateLink,
  embeddedVcScript,
  jsonLdCredential,
  vcJwtText,
  bakedBadgeImage,
];
