export { detectLicenceInText, GNU_FULL_TEXT_POLICY, type LicenceMatch, type TextDetection } from './detect-licence-text.js';
export {
  detectLicenceInFiles,
  detectLicenceInProject,
  isRelevant as isLicenceEvidenceFile,
  type FileEvidence,
  type ProjectDetection,
  type ProjectFile,
} from './detect-licence-project.js';
export { decodeText as decodeLicenceText } from '../../lib/decode-text.js';
