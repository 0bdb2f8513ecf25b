import { randomBytes } from 'node:crypto';
import licences from 'spdx-license-list/full.js';
import type { FastifyInstance } from 'fastify';
import { admin } from '../helpers/hub';

export const MIT = (licences as Record<string, { licenseText: string }>)['MIT']!.licenseText.replace('<year>', '2024').replace('<copyright holders>', 'Stadt Ulm');
export const EUPL = (licences as Record<string, { licenseText: string }>)['EUPL-1.2']!.licenseText;

export const VALID_PUBLICCODE = `publiccodeYmlVersion: "0.4"
name: Mängelmelder
url: "https://example.org/stadt/maengelmelder.git"
softwareVersion: "1.0.0"
releaseDate: "2024-03-01"
platforms:
  - web
categories:
  - it-development
developmentStatus: stable
softwareType: standalone/web
description:
  de:
    shortDescription: Bürgerinnen und Bürger melden Schäden im Straßenraum.
    longDescription: >
      Der Mängelmelder nimmt Meldungen über Schlaglöcher, defekte Laternen und wilden Müll entgegen
      und leitet sie an die zuständige Stelle der Stadtverwaltung weiter. Die Meldenden sehen den Stand
      der Bearbeitung und werden benachrichtigt, sobald der Mangel behoben ist. Die Software ist seit
      mehreren Jahren im Einsatz und wird von mehreren Kommunen gemeinsam weiterentwickelt.
    features:
      - Meldungen mit Foto und Ort
      - Status für Bürgerinnen und Bürger
legal:
  license: EUPL-1.2
maintenance:
  type: internal
  contacts:
    - name: Stadt Ulm
localisation:
  localisationReady: true
  availableLanguages:
    - de
`;

export const INVALID_PUBLICCODE = VALID_PUBLICCODE.replace('license: EUPL-1.2', 'license: Nicht-Lizenz-1.0');

export function randomBlob(bytes: number): Buffer {
  return randomBytes(bytes);
}

/** Registers a repository through the API with the organisation's publish token; returns its view. */
export async function register(app: FastifyInstance, url: string, organisationId: string) {
  const response = await app.inject({ method: 'POST', url: '/v1/repositories', headers: admin, payload: { url, organisationId } });
  if (response.statusCode !== 202) throw new Error(`registering failed: ${response.body}`);
  return response.json() as { id: string; softwareId: string };
}
