/**
 * The EU data-theme vocabulary (Publications Office authority table, the one DCAT-AP names for
 * dcat:theme), and the hub categories that have an obvious theme: the twelve Handlungsfeld keys
 * of ../shared/data/categories.md and the publiccode.yml scope values behind them. Functional
 * categories (e.g. `data-visualization`) have none and stay keywords.
 */
export const DATA_THEME_SCHEME = 'http://publications.europa.eu/resource/authority/data-theme';

export const DATA_THEMES = {
  AGRI: { de: 'Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel', en: 'Agriculture, fisheries, forestry and food' },
  ECON: { de: 'Wirtschaft und Finanzen', en: 'Economy and finance' },
  EDUC: { de: 'Bildung, Kultur und Sport', en: 'Education, culture and sport' },
  ENER: { de: 'Energie', en: 'Energy' },
  ENVI: { de: 'Umwelt', en: 'Environment' },
  GOVE: { de: 'Regierung und öffentlicher Sektor', en: 'Government and public sector' },
  HEAL: { de: 'Gesundheit', en: 'Health' },
  INTR: { de: 'Internationale Themen', en: 'International issues' },
  JUST: { de: 'Justiz, Rechtssystem und öffentliche Sicherheit', en: 'Justice, legal system and public safety' },
  REGI: { de: 'Regionen und Städte', en: 'Regions and cities' },
  SOCI: { de: 'Bevölkerung und Gesellschaft', en: 'Population and society' },
  TECH: { de: 'Wissenschaft und Technologie', en: 'Science and technology' },
  TRAN: { de: 'Verkehr', en: 'Transport' },
} as const;

export type DataTheme = keyof typeof DATA_THEMES;

const THEME_OF: Record<string, DataTheme> = {
  mobilitaet: 'TRAN', transportation: 'TRAN',
  energie: 'ENER', energy: 'ENER',
  'umwelt-klima': 'ENVI', environment: 'ENVI',
  beteiligung: 'SOCI', society: 'SOCI', welfare: 'SOCI',
  verwaltung: 'GOVE', government: 'GOVE',
  'daten-plattformen': 'TECH', 'science-and-technology': 'TECH', research: 'TECH',
  stadtentwicklung: 'REGI', 'local-authorities': 'REGI',
  'gesundheit-soziales': 'HEAL', healthcare: 'HEAL',
  bildung: 'EDUC', education: 'EDUC', 'kultur-tourismus': 'EDUC', culture: 'EDUC', sport: 'EDUC',
  'wirtschaft-handel': 'ECON', 'finance-and-economic-development': 'ECON', employment: 'ECON',
  'sicherheit-resilienz': 'JUST', justice: 'JUST', 'emergency-services': 'JUST', security: 'JUST',
  agriculture: 'AGRI',
  'foreign-affairs': 'INTR',
};

/** The distinct themes of a set of categories, in the order met. */
export function dataThemes(categories: Iterable<string>): DataTheme[] {
  const themes = new Set<DataTheme>();
  for (const category of categories) {
    const theme = THEME_OF[category];
    if (theme) themes.add(theme);
  }
  return [...themes];
}

export const dataThemeIri = (theme: DataTheme) => `${DATA_THEME_SCHEME}/${theme}`;
