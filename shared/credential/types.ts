/**
 * The EU micro-credential model: Council Recommendation of 16 June 2022 on a European approach to
 * micro-credentials for lifelong learning and employability (2022/C 243/02), Annex I, plus the
 * extra descriptors Cedefop collects in its micro-credential studies.
 *
 * These types describe what a course admin defines (MicroCredentialDefinition), who earned it
 * (Learner) and how (AwardResult). The builder maps them to an Open Badges 3.0
 * AchievementCredential; the reader maps any OB 3.0 credential back to EuElements.
 */

/** Text in one or more languages, keyed by BCP 47 tag: `{ en: 'Data literacy', de: 'Datenkompetenz' }`. */
export type LangText = Readonly<Record<string, string>>;

/** Annex I, Part I: the eleven mandatory elements, by the ids we use in reports and errors. */
export const MANDATORY_ELEMENTS = [
  'learner',
  'title',
  'country',
  'awardingBody',
  'dateOfIssuing',
  'learningOutcomes',
  'workload',
  'level',
  'assessmentType',
  'participationForm',
  'qualityAssurance',
] as const;
export type MandatoryElement = (typeof MANDATORY_ELEMENTS)[number];

/** Annex I, Part II: the optional elements. */
export const OPTIONAL_ELEMENTS = [
  'prerequisites',
  'supervision',
  'grade',
  'stackability',
  'furtherInformation',
] as const;
export type OptionalElement = (typeof OPTIONAL_ELEMENTS)[number];

/** Human names of the elements, as the Recommendation words them (used in refusals and reports). */
export const ELEMENT_LABELS: Readonly<Record<MandatoryElement | OptionalElement, string>> = {
  learner: 'Identification of the learner',
  title: 'Title of the micro-credential',
  country: 'Country/region of the issuer',
  awardingBody: 'Awarding body',
  dateOfIssuing: 'Date of issuing',
  learningOutcomes: 'Learning outcomes',
  workload: 'Notional workload (ECTS credits)',
  level: 'Level (EQF / QF-EHEA / NQF)',
  assessmentType: 'Type of assessment',
  participationForm: 'Form of participation',
  qualityAssurance: 'Type of quality assurance',
  prerequisites: 'Prerequisites needed to enrol',
  supervision: 'Supervision and identity verification during assessment',
  grade: 'Grade achieved',
  stackability: 'Integration/stackability options',
  furtherInformation: 'Further information',
};

export interface LearningOutcome {
  /** The outcome statement ("The learner can ..."), in one or more languages. */
  readonly text: LangText;
  /** An ESCO skill or competence URI (or another framework's URI) this outcome aligns with. */
  readonly skillUri?: string;
  /** The framework of skillUri, e.g. "ESCO". */
  readonly framework?: string;
}

/** The awarding body (Annex I: "Awarding body(ies)") and its country (Annex I element 3). */
export interface AwardingBody {
  readonly name: string;
  readonly url: string;
  /** ISO 3166-1 alpha-2 country code, e.g. "DE". */
  readonly countryCode: string;
  readonly region?: string;
  readonly email?: string;
  readonly description?: string;
  /** Registry identifiers, e.g. Erasmus code, VAT, national register number. */
  readonly otherIdentifiers?: readonly { readonly identifier: string; readonly identifierType: string }[];
}

export interface Workload {
  /** ECTS credits ("in ECTS credits, wherever possible"). */
  readonly ects?: number;
  /** Notional learning hours, when no ECTS value is given or in addition to it. */
  readonly hours?: number;
}

/** Annex I element 8: level (and cycle) in EQF, QF-EHEA or a national framework; "if applicable". */
export interface Level {
  /** EQF level 1..8. */
  readonly eqf?: number;
  /** QF-EHEA cycle: short, first, second, third. */
  readonly qfEhea?: 'short' | 'first' | 'second' | 'third';
  /** A national qualifications framework level. */
  readonly nqf?: { readonly framework: string; readonly level: string; readonly url?: string };
  /** True when the admin states that no level applies (the Recommendation allows it). */
  readonly notApplicable?: boolean;
}

export type ParticipationForm = 'online' | 'onsite' | 'blended';

/** Annex I Part II: the three supervision / identity-verification situations. */
export type Supervision =
  | 'unsupervised-no-identity-verification'
  | 'supervised-no-identity-verification'
  | 'supervised-with-identity-verification';

export interface Stackability {
  readonly kind: 'standalone' | 'stackable';
  /** Credentials this one stacks towards (or is made of), by achievement id and name. */
  readonly towards?: readonly { readonly id: string; readonly name: string }[];
}

/** Descriptors Cedefop collects beyond Annex I. */
export interface CedefopDescriptors {
  /** ISO 8601 duration of the learning experience, e.g. "P6W". */
  readonly duration?: string;
  readonly pace?: 'self-paced' | 'scheduled' | 'full-time' | 'part-time';
  readonly modeOfDelivery?: LangText;
  /** Occupational standards (ESCO occupations, national standards) the credential links to. */
  readonly occupationalStandards?: readonly { readonly uri: string; readonly name: string }[];
  readonly targetGroup?: LangText;
  readonly purpose?: LangText;
}

/** What a course admin defines once; every award of it yields one credential. */
export interface MicroCredentialDefinition extends CedefopDescriptors {
  /** Stable achievement id (an https URL or urn:uuid). */
  readonly id: string;
  /** The language `name`/`description` take in the credential; other languages go to translations. */
  readonly defaultLanguage: string;
  readonly title: LangText;
  readonly description: LangText;
  readonly learningOutcomes: readonly LearningOutcome[];
  readonly awardingBody: AwardingBody;
  readonly workload: Workload;
  readonly level: Level;
  readonly assessmentType: LangText;
  readonly participationForm: ParticipationForm;
  readonly qualityAssurance: LangText;
  readonly prerequisites?: LangText;
  readonly supervision?: Supervision;
  readonly stackability?: Stackability;
  readonly furtherInformation?: LangText;
  /** How a grade is expressed (when the module is graded), e.g. "Score out of 100". */
  readonly gradeScheme?: { readonly name: string; readonly valueMin?: string; readonly valueMax?: string };
  /** Badge image URL or data: URI. */
  readonly image?: string;
  readonly criteriaUrl?: string;
  readonly tags?: readonly string[];
}

export interface Learner {
  /** Full name as the learner wants it on the credential. */
  readonly name: string;
  /** Stored only as a salted SHA-256 hash in the credential. */
  readonly email?: string;
  /** The learner's DID or other URI, when they have one. */
  readonly id?: string;
}

export interface AwardResult {
  /** Date of issuing (Annex I element 5); defaults to now. */
  readonly issuedAt?: Date;
  /** Grade achieved, as the scheme writes it ("87", "B+", "Pass with distinction"). */
  readonly grade?: string;
  readonly activityStartDate?: Date;
  readonly activityEndDate?: Date;
  /** When the credential stops being valid (rare for learning credentials). */
  readonly validUntil?: Date;
}

/** The EU elements read back from a credential, with what is missing. */
export interface EuElements {
  readonly learner?: { readonly name?: string; readonly id?: string; readonly emailHashed?: boolean };
  readonly title?: string;
  readonly titles?: LangText;
  readonly country?: string;
  readonly awardingBody?: { readonly id: string; readonly name?: string; readonly url?: string };
  readonly dateOfIssuing?: string;
  readonly learningOutcomes?: readonly { readonly text: string; readonly skillUri?: string }[];
  readonly workload?: Workload;
  readonly level?: Level;
  readonly assessmentType?: string;
  readonly participationForm?: string;
  readonly qualityAssurance?: string;
  readonly prerequisites?: string;
  readonly supervision?: string;
  readonly grade?: string;
  readonly stackability?: Stackability;
  readonly furtherInformation?: string;
  readonly descriptors?: CedefopDescriptors;
  /** Mandatory elements not found, in Annex I order. */
  readonly missing: readonly MandatoryElement[];
}
