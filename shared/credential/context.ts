/**
 * JSON-LD 1.1 context for the EU micro-credential terms Open Badges 3.0 and VC Data Model 2.0 lack
 * (Council Recommendation 2022/C 243/02, Annex I, plus Cedefop's descriptors).
 *
 * Only three terms are global: `microCredential` (on the Achievement), its class `MicroCredentialProfile`
 * and `translations`; every other term is scoped to the `microCredential` object, so short names
 * like `duration` or `purpose` cannot collide with other contexts a credential may carry.
 * Terms reuse the European Learning Model (ELM 3) property where one exists. Where the ELM range is
 * a Note or a skos:Concept we still write a plain literal: the IRI says what the value means, and
 * the credential stays readable by OB 3.0 tools that know nothing of ELM node shapes.
 */

export const VC_V2_CONTEXT_URL = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** Permanent id (to be registered at w3id.org); the tool also serves it at /contexts/microcred-v1.jsonld. */
export const MICROCRED_CONTEXT_URL = 'https://w3id.org/microcred/v1';
export const MICROCRED_VOCAB = 'https://w3id.org/microcred/vocab#';
export const ELM = 'http://data.europa.eu/snb/model/elm/';

const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** The context document, exactly as served at MICROCRED_CONTEXT_URL. */
export const MICROCRED_CONTEXT = {
  '@context': {
    '@version': 1.1,
    '@protected': true,
    MicroCredentialProfile: { '@id': `${MICROCRED_VOCAB}MicroCredentialProfile` },
    microCredential: {
      '@id': `${MICROCRED_VOCAB}microCredential`,
      '@context': {
        '@protected': true,
        // Annex I, Part I
        volumeOfLearning: { '@id': `${ELM}volumeOfLearning`, '@type': `${XSD}duration` },
        qfEhea: { '@id': `${MICROCRED_VOCAB}qfEheaCycle` },
        levelNotApplicable: { '@id': `${MICROCRED_VOCAB}levelNotApplicable`, '@type': `${XSD}boolean` },
        assessmentType: { '@id': `${MICROCRED_VOCAB}assessmentType` },
        participationForm: { '@id': `${ELM}mode` },
        qualityAssurance: { '@id': `${MICROCRED_VOCAB}qualityAssurance` },
        // Annex I, Part II
        prerequisites: { '@id': `${ELM}entryRequirement` },
        supervision: { '@id': `${ELM}idVerification` },
        stackability: {
          '@id': `${MICROCRED_VOCAB}stackability`,
          '@context': {
            '@protected': true,
            kind: { '@id': `${MICROCRED_VOCAB}stackabilityKind` },
            towards: { '@id': `${ELM}isPartOf`, '@container': '@set' },
          },
        },
        furtherInformation: { '@id': `${ELM}additionalNote` },
        // Cedefop descriptors
        duration: { '@id': `${ELM}duration`, '@type': `${XSD}duration` },
        pace: { '@id': `${ELM}learningSchedule` },
        modeOfDelivery: { '@id': `${MICROCRED_VOCAB}modeOfDelivery` },
        targetGroup: { '@id': `${ELM}targetGroup` },
        purpose: { '@id': `${MICROCRED_VOCAB}purpose` },
        occupationalStandards: { '@id': `${MICROCRED_VOCAB}occupationalStandard`, '@container': '@set' },
      },
    },
    /** language tag → { name, description, learningOutcomes[], ... }: OB's schema wants plain-string name/description. */
    translations: { '@id': `${MICROCRED_VOCAB}translations`, '@type': '@json' },
  },
} as const;
