/**
 * Relevance queries for the archive search engine.
 *
 * Each entry is something a probation staff member might plausibly type into
 * the Discord bot's search box to find a post they remember, together with
 * the title of the post that should come back first. Queries are short,
 * written in staff shorthand (PQiP, PSO, SFO, YOT, Napo, ECSL...), and a few
 * carry a deliberate typo or an American spelling to exercise fuzzy matching
 * and spelling normalisation.
 *
 * Titles are copied verbatim from the archive (post 003 has no title line;
 * its derived title is used instead, with its curly apostrophe and en dash).
 */

export interface RelevanceQuery {
  query: string;
  expectTitle: string;
  why: string;
}

const T = {
  pqip: 'On Being a PQiP',
  relContinued: 'Relationship Theme Continued',
  relationship: "It's The Relationship",
  takingRisk: 'Taking a Risk',
  nailHit: 'Nail Hit On Head',
  localCentral: 'Local v Central',
  radical: 'Radical Rethinking Required',
  pso: 'Being a Probation Services Officer',
  mattersHead: 'Matters Coming to a Head',
  petition: 'Sign The Petition!',
  treadmill: 'The Probation Treadmill',
  newYear: 'Happy New Year 2022',
  leaders: 'Calling All Aspiring Probation Leaders!',
  ipp: 'The IPP Disgrace',
  survey: 'Hey People - Results Are In!',
  tory: "Don't Tell Tory Voters!",
  sobering: 'A Sobering Tale',
  mentalHealth: 'CJS and Mental Health',
  iWasThere: 'I Was There - Were You?',
  napo229: 'Latest From Napo 229',
  guest84: 'Guest Blog 84',
  soma: "All's Well in Soma Land",
  gem: 'A Gem Of An Idea',
  napo228: 'Latest From Napo 228',
  london: 'London Probation\u2019s staffing crisis \u2013 but better news on YOTs',
  civilService: 'Probation Must be Free of Civil Service',
} as const;

export const relevanceQueries: RelevanceQuery[] = [
  // --- On Being a PQiP (23 Nov 2023)
  { query: 'pqip bullying', expectTitle: T.pqip, why: 'trainee describes being bullied during qualification' },
  { query: 'PQiPs free degree', expectTitle: T.pqip, why: 'debate on trainees qualifying then leaving' },
  { query: 'pqip hazing', expectTitle: T.pqip, why: 'training likened to a fraternity initiation' },

  // --- Relationship Theme Continued (22 Nov 2023)
  { query: 'Sonia Flynn interview', expectTitle: T.relContinued, why: 'YouTube talk with the departing CPO' },
  { query: 'mike guilfoyle', expectTitle: T.relContinued, why: 'tribute to a former PO who had just died' },

  // --- It's The Relationship (21 Nov 2023)
  {
    query: 'carter report silos',
    expectTitle: T.relationship,
    why: 'guest piece recalls Carter on prison/probation split',
  },
  { query: 'political domain TR', expectTitle: T.relationship, why: 'fifth heading of the reposted 2016 guest blog' },
  {
    query: 'Service User voice',
    expectTitle: T.relationship,
    why: 'guest piece on putting the client relationship at the core',
  },

  // --- Taking a Risk (20 Nov 2023)
  { query: 'inside time comment', expectTitle: T.takingRisk, why: 'prisoner newspaper reader attacking POs' },
  { query: 'good PO taking risks', expectTitle: T.takingRisk, why: '2012 piece on what makes a good officer' },
  {
    query: 'appropriate risks judgment',
    expectTitle: T.takingRisk,
    why: 'US spelling; officer weighing when to give a chance',
  },

  // --- Nail Hit On Head (19 Nov 2023)
  { query: 'chatgpt mischief', expectTitle: T.nailHit, why: 'joke reply quoting an AI chatbot' },
  {
    query: "Getafix's chatgpt reply",
    expectTitle: T.nailHit,
    why: 'possessive; regular commenter thread with AI joke',
  },
  {
    query: 'gold standard outlier',
    expectTitle: T.nailHit,
    why: 'England and Wales probation now out of step worldwide',
  },

  // --- Local v Central (17 Nov 2023)
  { query: 'local v central', expectTitle: T.localCentral, why: 'reader argues strength lies in local delivery' },
  { query: 'RSO christmas card', expectTitle: T.localCentral, why: 'sex offender case that still sends a card' },

  // --- Radical Rethinking Required (16 Nov 2023)
  {
    query: 'probation journal editorial',
    expectTitle: T.radical,
    why: 'reposted journal editorial on the prison crisis',
  },
  { query: 'Nigel Stone', expectTitle: T.radical, why: 'editorial closes with a tribute to him' },
  {
    query: 'net-widening community sentences',
    expectTitle: T.radical,
    why: 'community orders do not cut prison numbers',
  },

  // --- Being a Probation Services Officer (15 Nov 2023)
  { query: 'pso 65 cases', expectTitle: T.pso, why: 'Independent interview, caseload well over the limit' },
  { query: 'pso leaving after five years', expectTitle: T.pso, why: 'job for life she is now giving up' },
  { query: 'housing referral 10 pages', expectTitle: T.pso, why: 'two days spent on one housing form' },

  // --- Matters Coming to a Head (13 Nov 2023)
  { query: 'zara aleena', expectTitle: T.mattersHead, why: "victim's aunt warns of repeat failures" },
  { query: 'free to kill headline', expectTitle: T.mattersHead, why: 'Independent headline on released offenders' },
  { query: '59 murders on supervision', expectTitle: T.mattersHead, why: 'MoJ murder figures for people on probation' },

  // --- Sign The Petition! (9 Nov 2023)
  { query: 'change.org petition', expectTitle: T.petition, why: 'newly launched petition on service collapse' },
  { query: 'damien bendall', expectTitle: T.petition, why: 'inquest cited as driving staff fears' },
  {
    query: 'parliament petition moderation',
    expectTitle: T.petition,
    why: 'postscript about the official petition awaiting checks',
  },

  // --- The Probation Treadmill (3 Jul 2022)
  { query: 'probation treadmil', expectTitle: T.treadmill, why: 'typo; title metaphor' },
  { query: 'mass supervision', expectTitle: T.treadmill, why: 'central concept of the research piece' },
  { query: 'Cracknell research', expectTitle: T.treadmill, why: 'author of the journal article quoted' },
  { query: 'CRC cohort model', expectTitle: T.treadmill, why: 'caseload split into five cohorts' },
  { query: 'PMR appointments', expectTitle: T.treadmill, why: 'plan-meet-record one hour system' },

  // --- Happy New Year 2022 (30 Dec 2021)
  { query: 'Amy Rees new year message', expectTitle: T.newYear, why: "DG's end of 2021 letter to staff" },
  { query: 'amy rees covid thanks', expectTitle: T.newYear, why: 'DG thanks staff for a pandemic year' },

  // --- Calling All Aspiring Probation Leaders! (18 Dec 2021)
  { query: 'justice leaders shceme', expectTitle: T.leaders, why: 'typo; fast-track graduate leadership scheme' },
  { query: 'fast track leadership masters', expectTitle: T.leaders, why: 'four-year scheme with bespoke degree' },
  { query: 'justice leaders salary', expectTitle: T.leaders, why: 'pay table by year and London weighting' },

  // --- The IPP Disgrace (16 Dec 2021)
  { query: 'ipp sentences', expectTitle: T.ipp, why: 'whole post is about indeterminate sentences' },
  { query: 'UNGRIPP', expectTitle: T.ipp, why: 'campaign group threads reproduced' },
  { query: 'Blunkett amendments lords', expectTitle: T.ipp, why: 'House of Lords debate on IPP changes' },

  // --- Hey People - Results Are In! (15 Dec 2021)
  { query: 'people survey results', expectTitle: T.survey, why: 'perm sec email on the 2021 staff survey' },
  { query: 'moj engagement score', expectTitle: T.survey, why: 'headline engagement percentage' },
  {
    query: 'prioritizing probation kim',
    expectTitle: T.survey,
    why: 'US spelling; workload initiative from the deputy director',
  },

  // --- Don't Tell Tory Voters! (5 Dec 2021)
  { query: 'drugs strategy diversion', expectTitle: T.tory, why: 'BBC story on new drug policy' },
  { query: 'carol black review', expectTitle: T.tory, why: 'drug review the strategy responds to' },

  // --- A Sobering Tale (4 Dec 2021)
  { query: 'employment tribunal disability', expectTitle: T.sobering, why: 'unfair dismissal case of an SPO' },
  {
    query: 'dyslexia reasonable adjustments',
    expectTitle: T.sobering,
    why: "claimant's conditions and refused adjustments",
  },
  {
    query: 'housing association shareholder',
    expectTitle: T.sobering,
    why: 'blogger contrasts a kinder employer he holds shares in',
  },

  // --- CJS and Mental Health (3 Dec 2021)
  { query: 'mental health joint inspection', expectTitle: T.mentalHealth, why: "six inspectorates' report on the CJS" },
  { query: 'psychiatric report delays', expectTitle: T.mentalHealth, why: 'courts waiting for assessments' },

  // --- I Was There - Were You? (28 Nov 2021)
  { query: 'TUC demo 2012', expectTitle: T.iWasThere, why: 'Napo at the London march before privatisation' },
  { query: 'napo nostalgia', expectTitle: T.iWasThere, why: 'short throwback post' },

  // --- Latest From Napo 229 (26 Nov 2021)
  { query: 'unions reject pay offer', expectTitle: T.napo229, why: 'final 2021/22 offer turned down' },
  { query: 'napo trade dispute', expectTitle: T.napo229, why: 'members asked to back a formal dispute' },

  // --- Guest Blog 84 (20 Nov 2021)
  { query: 'RMP format SFO', expectTitle: T.guest84, why: 'SFO review faulted him over plan layout' },
  { query: 'retired PO sandwich', expectTitle: T.guest84, why: 'last-day story of feeding a recalled man' },

  // --- All's Well in Soma Land (17 Nov 2021)
  { query: 'soma land', expectTitle: T.soma, why: 'comment mocking upbeat management call' },
  { query: 'propaganda call', expectTitle: T.soma, why: 'national staff call described as propaganda' },

  // --- A Gem Of An Idea (14 Nov 2021)
  { query: 'The Outlaws BBC', expectTitle: T.gem, why: 'recommends the TV comedy' },
  { query: 'community service bristol', expectTitle: T.gem, why: 'memories of CS in 1980s Bristol' },

  // --- Latest From Napo 228 (12 Nov 2021)
  { query: 'visor vetting', expectTitle: T.napo228, why: 'police vetting for ViSOR access' },
  { query: 'job evaluation E3', expectTitle: T.napo228, why: 'outstanding JE reviews update' },

  // --- London Probation's staffing crisis - but better news on YOTs (Oct 2022)
  { query: 'london staffing crisis', expectTitle: T.london, why: 'chief inspector on London vacancies' },
  { query: 'YOT model', expectTitle: T.london, why: 'youth offending teams held up as better' },
  { query: 'hammersmith fulham inspection', expectTitle: T.london, why: 'PDU with organisational alert' },
  { query: 'inspectorete london vacancies', expectTitle: T.london, why: 'typo; vacancy rate in London PDUs' },
  { query: 'lidl aldi quitting', expectTitle: T.london, why: 'commenters joking about leaving for supermarkets' },

  // --- Probation Must be Free of Civil Service (19 Feb 2024)
  {
    query: 'civil service control',
    expectTitle: T.civilService,
    why: 'argues probation cannot sit in the civil service',
  },
  { query: 'civil service qango', expectTitle: T.civilService, why: "wants an independent arm's-length body instead" },
  { query: 'early release scheme', expectTitle: T.civilService, why: 'comments on ECSL being extended' },
  { query: 'ECSL extended', expectTitle: T.civilService, why: 'Sky report on end of custody licence' },
  { query: 'Labor citizens assemblies', expectTitle: T.civilService, why: 'US spelling; Sue Gray plans' },
  { query: 'jobcentre food banks', expectTitle: T.civilService, why: 'DWP signposting slips story' },
  { query: 'PO jailed smuggling wealstun', expectTitle: T.civilService, why: 'Leeds officer jailed, in the comments' },
  { query: 'brighton pdu inspection', expectTitle: T.civilService, why: 'HMIP rating discussed in comments' },
];
