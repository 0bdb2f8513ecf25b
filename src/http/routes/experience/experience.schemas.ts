import { Type, type TSchema } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common';

export const COST_BAND = Type.Enum(['<1k', '1–5k', '5–20k', '20–100k', '>100k'], { description: 'Annual running cost in EUR' });
export const HOSTING = Type.Enum(['own data centre', 'municipal IT service provider', 'SaaS by a vendor', 'public cloud', 'other']);
const Markdown = Type.String({ minLength: 1, maxLength: 20_000, description: 'Markdown, German or English' });
const Rendered = Nullable(Type.Object({ markdown: Type.String(), html: Nullable(Type.String({ description: 'Sanitised HTML (as READMEs)' })) }));

export const WriteReportBody = Type.Object(
  {
    effortPersonDays: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100_000, description: 'Effort to adopt, in person-days' }))),
    weeksToGoLive: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1_000, description: 'From the decision to go-live, in weeks' }))),
    runningCostBand: Type.Optional(Nullable(COST_BAND)),
    hosting: Type.Optional(Nullable(HOSTING)),
    adaptations: Type.Optional(Nullable(Type.String({ maxLength: 20_000, description: 'Adaptations made (free text)' }))),
    whatWorked: Type.Optional(Nullable(Markdown)),
    whatDidNotWork: Type.Optional(Nullable(Markdown)),
    recommendation: Type.Integer({ minimum: 1, maximum: 5, description: 'Would recommend: 1 (no) to 5 (without reservation)' }),
    version: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: 'The version the report is about' }))),
    contact: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 300, description: 'A functional contact (role mailbox); never required' }))),
    showContact: Type.Optional(Type.Boolean({ description: 'Show the contact publicly (default false: kept, not shown)' })),
  },
  { additionalProperties: false },
);

export const ExperienceReport = Type.Object({
  id: Uuid,
  reuseId: Uuid,
  organisation: Type.Object({ id: Uuid, slug: Type.String(), name: Type.String() }),
  effortPersonDays: Nullable(Type.Number()),
  weeksToGoLive: Nullable(Type.Number()),
  runningCostBand: Nullable(COST_BAND),
  hosting: Nullable(HOSTING),
  adaptations: Nullable(Type.String()),
  whatWorked: Rendered,
  whatDidNotWork: Rendered,
  recommendation: Type.Integer(),
  version: Nullable(Type.String()),
  contact: Nullable(Type.String({ description: 'Only when the author opted in' })),
  answer: Nullable(Type.Object({ markdown: Type.String(), html: Nullable(Type.String()), at: Nullable(Timestamp) }, { description: "The producer's answer (once)" })),
  createdAt: Timestamp,
});

const Distribution = <T extends TSchema>(values: T) => Type.Array(Type.Object({ value: values, count: Type.Integer() }));

export const SoftwareExperience = Type.Object({
  aggregates: Type.Object(
    {
      reports: Type.Integer(),
      medianEffortPersonDays: Nullable(Type.Number()),
      medianWeeksToGoLive: Nullable(Type.Number()),
      meanRecommendation: Nullable(Type.Number()),
      hosting: Distribution(HOSTING),
      runningCostBand: Distribution(COST_BAND),
    },
    { description: 'Computed in SQL over the public (not hidden) reports on each read' },
  ),
  items: Type.Array(ExperienceReport, { description: 'Public reports, newest first' }),
});

export const AnswerBody = Type.Object({ answer: Markdown }, { additionalProperties: false });
const ModerationReason = Type.String({ minLength: 3, maxLength: 2000, description: 'Why; kept in the audit log' });
export const HideBody = Type.Object({ reason: ModerationReason }, { additionalProperties: false });
/** Unhiding takes a reason too: both moderation steps are explained in the audit log. */
export const UnhideBody = HideBody;
export const ReportParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), reportId: Type.String({ minLength: 1, maxLength: 200 }) });
