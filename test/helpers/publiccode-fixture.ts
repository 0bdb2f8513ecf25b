/** A valid publiccode.yml 0.7 file shared by the validator tests; tests change one thing at a time. */
export const LONG = 'Ein Fachverfahren für die Verwaltung von Bürgeranliegen in Kommunen, mit Terminvergabe, Vorgangsbearbeitung und Schnittstellen zu den Basisdiensten des Landes.';

export const VALID = `publiccodeYmlVersion: "0"
name: Bürgerservice
url: "https://git.example.org/kommune/buergerservice.git"
releaseDate: "2024-05-02"
platforms:
  - web
categories:
  - document-management
developmentStatus: stable
softwareType: standalone/web
organisation:
  name: Stadt Musterstadt
  uri: "https://www.musterstadt.de"
description:
  de:
    shortDescription: Bürgeranliegen digital bearbeiten
    longDescription: >
      ${LONG}
    features:
      - Terminvergabe
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts:
    - name: Erika Mustermann
      email: erika.mustermann@musterstadt.de
      phone: "+49 30 1234567"
localisation:
  localisationReady: true
  availableLanguages:
    - de
`;
