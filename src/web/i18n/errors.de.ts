/**
 * German messages for the domain's error codes (AppError.slug) a form can meet, merged into de.ts.
 * The API keeps its English detail; a page shows these instead (web/form-errors.ts picks them).
 */
export const deErrors = {
  'domainError.reuse.not_owner': 'Nur die nachnutzende Organisation ändert oder zieht ihre Nachnutzung zurück; die Herstellerin bestätigt oder bestreitet sie.',
  'domainError.reuse.not_producer': 'Nur die Herstellerin der Software (mit einem Token mit der Berechtigung „publish“) bestätigt oder bestreitet eine Nachnutzung.',
  'domainError.reuse.withdrawn': 'Diese Nachnutzung wurde zurückgezogen. Tragen Sie sie wieder ein, um sie zu ändern oder über sie zu berichten.',
  'domainError.reuse.already_withdrawn': 'Diese Nachnutzung ist bereits zurückgezogen.',
  'domainError.reuse.already_confirmed': 'Diese Nachnutzung ist bereits bestätigt.',
  'domainError.reuse.already_disputed': 'Diese Nachnutzung ist bereits bestritten.',
  'domainError.reuse.already_recorded': 'Ihre Organisation hat diese Nachnutzung schon eingetragen; ändern Sie den vorhandenen Eintrag.',
  'domainError.experience_report.not_reuser': 'Erfahrungsberichte schreibt die nachnutzende Organisation; die Herstellerin kann auf sie antworten.',
  'domainError.experience_report.already_answered': 'Auf diesen Bericht hat die Herstellerin schon geantwortet; eine Antwort ist nur einmal möglich.',
  'domainError.experience_report.hidden': 'Dieser Bericht ist ausgeblendet und nimmt keine Antwort an.',
  'domainError.need.own_need': 'Ihre Organisation hat diesen Bedarf selbst gemeldet und unterstützt ihn damit schon.',
  'domainError.need.closed': 'Dieser Bedarf ist abgeschlossen; es kann sich niemand mehr anschließen.',
  'domainError.need.already_joined': 'Ihre Organisation hat sich diesem Bedarf schon angeschlossen.',
  'domainError.need.not_joined': 'Ihre Organisation hat sich diesem Bedarf nicht angeschlossen.',
  'domainError.repository.host-refused': 'Dieses Repository kann der Hub nicht einlesen: Der Server liegt nicht im öffentlichen Internet.',
  'domainError.repository.software-inactive': 'Der zugehörige Katalogeintrag ist deaktiviert; seine Repositories werden nicht eingelesen.',
  'domainError.url.invalid': 'Das ist keine gültige Adresse.',
  'domainError.url.scheme': 'Nur Git-Adressen mit http:// oder https:// können eingelesen werden.',
  'domainError.url.path': 'Die Adresse nennt nur einen Server, kein Repository.',
  'domainError.unauthorized': 'Bitte melden Sie sich an.',
  'domainError.forbidden': 'Ihr Token erlaubt diese Aktion nicht (falsche Organisation oder fehlende Berechtigung).',
  'domainError.not-found': 'Den Eintrag gibt es nicht (mehr).',
  'domainError.conflict': 'Das widerspricht einem vorhandenen Eintrag, zum Beispiel einem Repository, das eine andere Organisation schon registriert hat.',
  'domainError.bad-request': 'Die Angaben sind nicht gültig.',
  'domainError.rate-limited': 'Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment.',
} as const;
