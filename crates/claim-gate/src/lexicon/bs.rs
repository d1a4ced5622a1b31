//! Bosnian / Croatian / Serbian (Latin script), folded: č ć → c, š → s, ž → z, đ → dj.
//! Morphology is matched by stem + ending so every inflection of a past participle or
//! l-participle counts (završeno/završena/završio/završili), while infinitives and presents
//! ("završiti", "prođe") do not — they speak of work still to do.

use super::Sense::*;
use super::{Entry, phrase, stem, word};

/// Endings of the passive participle (-en/-ena/-eno/-eni/-ene) and the l-participle
/// (-io/-ila/-ilo/-ili/-ile) of i-verbs: završ-eno, završ-io.
const I_VERB: &[&str] = &[
    "en", "ena", "eno", "eni", "ene", "enu", "io", "ila", "ilo", "ili", "ile",
];
/// Endings of a-verbs: testir-ano, testir-ao, deploy-ano.
const A_VERB: &[&str] = &[
    "an", "ana", "ano", "ani", "ane", "ao", "ala", "alo", "ali", "ale", "ovano", "ovan", "ovana",
    "ovao", "ovala", "ovali",
];

pub const CLAIMS: &[Entry] = &[
    stem("kompletir", A_VERB, Plain, "kompletirano — completed"),
    stem(
        "izvrs",
        &["en", "ena", "eno", "eni", "ene", "io", "ila", "ilo", "ili"],
        Plain,
        "izvršeno — carried out",
    ),
    stem(
        "zdrav",
        &["", "a", "o", "i"],
        Predicative,
        "kontejneri su zdravi — healthy",
    ),
    stem("flash", A_VERB, Plain, "flashovan — flashed (mixed)"),
    stem(
        "otklon",
        &[
            "jen", "jena", "jeno", "jeni", "jene", "io", "ila", "ilo", "ili",
        ],
        Plain,
        "otklonjeno — (the error is) removed",
    ),
    stem("odradj", I_VERB, Plain, "odrađeno — done"),
    stem(
        "odrad",
        &["io", "ila", "ilo", "ili"],
        Plain,
        "odradio — did (it)",
    ),
    stem(
        "isprav",
        &["io", "ila", "ili"],
        Plain,
        "ispravio — corrected",
    ),
    stem("objav", &["io", "ila", "ili"], Plain, "objavio — published"),
    stem(
        "pust",
        &["io", "ila", "ili"],
        Plain,
        "pustio (u rad) — put into operation",
    ),
    stem(
        "sredj",
        &["en", "ena", "eno", "eni"],
        Plain,
        "sređeno — sorted out",
    ),
    stem("sred", &["io", "ila", "ili"], Plain, "sredio — sorted out"),
    stem(
        "dostupn",
        &["a", "o", "i", "e"],
        Predicative,
        "je dostupna — is available",
    ),
    word("dostupan", Predicative, "je dostupan — is available"),
    stem(
        "pass",
        &["a", "aju", "ao", "ala", "alo", "ali", "ano"],
        Pass,
        "passa/passao — passes (mixed)",
    ),
    phrase(
        &["nista", "ne", "puca"],
        Positive,
        "ništa ne puca — nothing breaks",
    ),
    phrase(
        &["nista", "ne", "pada"],
        Positive,
        "ništa ne pada — nothing fails",
    ),
    phrase(
        &["vise", "se", "ne", "ponavlja"],
        Positive,
        "više se ne ponavlja — no longer recurs",
    ),
    phrase(
        &["vise", "ne", "puca"],
        Positive,
        "više ne puca — no longer breaks",
    ),
    phrase(
        &["se", "vise", "ne", "pojavljuje"],
        Positive,
        "se više ne pojavljuje — no longer appears",
    ),
    phrase(
        &["se", "vise", "ne", "javlja"],
        Positive,
        "se više ne javlja — no longer occurs",
    ),
    stem(
        "zavrs",
        I_VERB,
        Plain,
        "završ-: završeno/završena/završio — completed",
    ),
    stem("uradj", I_VERB, Plain, "urađ-/uradj-: urađeno — done"),
    stem(
        "urad",
        &["io", "ila", "ilo", "ili", "ile"],
        Plain,
        "uradio/uradila — did (it)",
    ),
    stem(
        "provjer",
        I_VERB,
        Plain,
        "provjer-: provjereno — verified (ijekavian)",
    ),
    stem(
        "prover",
        I_VERB,
        Plain,
        "prover-: provereno — verified (ekavian)",
    ),
    stem(
        "popravlj",
        &["en", "ena", "eno", "eni", "ene"],
        Plain,
        "popravljeno — fixed",
    ),
    stem(
        "poprav",
        &["io", "ila", "ilo", "ili"],
        Plain,
        "popravio — fixed",
    ),
    stem("rijes", I_VERB, Plain, "riješeno — solved"),
    stem(
        "res",
        &["eno", "ena", "en", "io", "ila", "ili"],
        Plain,
        "rešeno — solved (ekavian)",
    ),
    stem("testir", A_VERB, Plain, "testirano — tested"),
    stem("istestir", A_VERB, Plain, "istestirano — tested through"),
    stem("testov", A_VERB, Plain, "baseline testovano — tested"),
    stem("potvrdj", I_VERB, Plain, "baseline potvrđen — confirmed"),
    stem(
        "potvrd",
        &["io", "ila", "ili"],
        Plain,
        "potvrdio — confirmed",
    ),
    stem(
        "deploy",
        A_VERB,
        Plain,
        "deployano/deployao — deployed (mixed)",
    ),
    stem("deplojov", A_VERB, Plain, "deplojovano — deployed (mixed)"),
    stem("push", A_VERB, Plain, "pushano/pushao — pushed (mixed)"),
    stem("merg", A_VERB, Plain, "mergano/mergao — merged (mixed)"),
    stem("merge", A_VERB, Plain, "mergeano/mergeao — merged (mixed)"),
    stem("ship", A_VERB, Plain, "shipano — shipped (mixed)"),
    stem("fix", A_VERB, Plain, "fixan/fixano — fixed (mixed)"),
    stem("fiks", A_VERB, Plain, "fiksano — fixed (mixed)"),
    stem("implementir", A_VERB, Plain, "implementirano — implemented"),
    stem(
        "objavlj",
        &["en", "ena", "eno", "eni", "ene"],
        Plain,
        "objavljeno — published",
    ),
    stem(
        "prebac",
        &["en", "ena", "eno", "eni", "io", "ila", "ili"],
        Plain,
        "prebačeno — moved over",
    ),
    stem(
        "isporuc",
        &["en", "ena", "eno", "eni", "io", "ila", "ili"],
        Plain,
        "isporučeno — delivered",
    ),
    stem(
        "pusten",
        &["", "a", "o", "i"],
        Plain,
        "pušten u rad — put into operation",
    ),
    stem(
        "podignut",
        &["", "a", "o", "i"],
        Plain,
        "podignut — brought up (a service)",
    ),
    stem(
        "dign",
        &["uo", "ula", "uli", "ut", "uta", "uto"],
        Plain,
        "dignuo — brought up (a service)",
    ),
    stem(
        "registrovan",
        &["", "o", "a", "i"],
        Plain,
        "baseline registrovano",
    ),
    stem(
        "ispravn",
        &["o", "a", "i", "e"],
        Predicative,
        "baseline ispravno — correct(ly)",
    ),
    stem(
        "ispravlj",
        &["en", "ena", "eno", "eni"],
        Plain,
        "ispravljeno — corrected",
    ),
    stem(
        "uspjesn",
        &["o", "a", "i"],
        Plain,
        "uspješno — successfully",
    ),
    stem("uspesn", &["o", "a", "i"], Plain, "uspešno — successfully"),
    stem(
        "usp",
        &["io", "jela", "jelo", "jeli", "ela", "elo", "eli"],
        Plain,
        "uspio/uspjelo — managed to",
    ),
    word("uredan", Predicative, "baseline uredan — in order"),
    word("uredno", Predicative, "uredno — in order"),
    word("solidan", Predicative, "baseline solidan"),
    word("solidno", Predicative, "solidno"),
    word(
        "radi",
        Radi,
        "baseline radi — works; also the preposition 'for the sake of'",
    ),
    word("rade", Works, "rade — (they) work"),
    stem(
        "prorad",
        &["io", "ila", "ilo", "ili", "ile"],
        Plain,
        "proradilo — started working",
    ),
    stem(
        "funkcionis",
        &["e", "u", "alo", "ala", "ao", "ali"],
        Works,
        "baseline funkcioniše — works",
    ),
    stem(
        "funkcionir",
        &["a", "aju", "alo", "ala", "ao", "ali"],
        Works,
        "funkcionira — works (hr)",
    ),
    stem(
        "pros",
        &["ao", "la", "lo", "li"],
        PastTime,
        "baseline prošlo/prošla — passed; not 'prošle sedmice'",
    ),
    stem("prolaz", &["i", "e"], Pass, "prolazi — passes"),
    stem(
        "gotov",
        &["", "o", "a", "i", "e"],
        Almost,
        "baseline gotovo — done; not 'gotovo svi' (almost)",
    ),
    stem(
        "sprem",
        &["an", "na", "no", "ni", "ne"],
        Ready,
        "baseline spremno — ready",
    ),
    stem(
        "zelen",
        &["", "o", "a", "i"],
        Predicative,
        "zeleno — green (CI)",
    ),
    word("stima", Plain, "štima — works fine"),
    stem(
        "nesta",
        &["o", "la", "lo", "li", "le"],
        Plain,
        "nestao — (the bug) is gone",
    ),
    phrase(&["u", "redu"], State, "je u redu — is fine"),
    phrase(
        &["na", "produkciji"],
        State,
        "je na produkciji — is in production",
    ),
    phrase(
        &["u", "produkciji"],
        State,
        "je u produkciji — is in production",
    ),
    phrase(
        &["sada", "mogu"],
        Plain,
        "korisnici sada mogu — users can now",
    ),
    phrase(&["sada", "se", "mogu"], Plain, "sada se mogu — can now"),
    phrase(&["se", "sada", "mogu"], Plain, "se sada mogu — can now"),
    phrase(&["mogu", "sada"], Plain, "mogu sada — can now"),
    phrase(
        &["vise", "se", "ne", "pojavljuje"],
        Positive,
        "više se ne pojavljuje — no longer appears",
    ),
    phrase(
        &["vise", "ne", "baca"],
        Positive,
        "više ne baca grešku — no longer throws",
    ),
    phrase(
        &["vise", "ne", "pada"],
        Positive,
        "više ne pada — no longer fails",
    ),
    phrase(
        &["vise", "se", "ne", "javlja"],
        Positive,
        "više se ne javlja — no longer occurs",
    ),
];

pub const NEGATORS: &[&str] = &[
    "ne", "nije", "nisu", "nisam", "nismo", "niste", "nisi", "nema", "nista", "nikad", "nikada",
    "ni", "nijedan", "nijedna", "nijedno", "niti",
];

pub const COPULAS: &[&str] = &[
    "je", "su", "bio", "bila", "bilo", "bili", "jesu", "sad", "sada", "sve", "svi", "ostaje",
    "postao", "postala", "postalo",
];

pub const IRREALIS: &[&str] = &[
    "li",
    "bi",
    "bih",
    "bismo",
    "biste",
    "cilj",
    "moze",
    "mozes",
    "mozemo",
    "mogli",
    "ce",
    "cu",
    "cemo",
    "cete",
    "ces",
    "kad",
    "kada",
    "cim",
    "ako",
    "ukoliko",
    "dok",
    "sutra",
    "bude",
    "budu",
    "budes",
    "trebalo",
    "trebao",
    "trebala",
    "treba",
    "planiram",
    "planiramo",
    "namjeravam",
    "sljedeci",
    "sledeci",
    "slijedeci",
    "zelim",
    "hocu",
    "moram",
    "moramo",
    "mogao",
    "mogla",
    "mozda",
    "nadam",
    "predlazem",
    "prijedlog",
    "opcija",
];

/// Words ending in -ću/-cu that are not the future tense ("kuću", "sreću", "ulicu").
pub const NOT_FUTURE_CU: &[&str] = &[
    "srecu", "ulicu", "kucu", "pomocu", "granicu", "tablicu", "stranicu", "jedinicu", "funkciju",
];

pub const DEGREE: &[&str] = &[
    "sada",
    "sad",
    "vec",
    "potpuno",
    "sve",
    "skroz",
    "opet",
    "ponovo",
    "konacno",
    "takodje",
    "uspjesno",
    "uspesno",
    "kompletno",
];

/// After gotovo: the "almost" sense.
pub const ALMOST_NEXT: &[&str] = &[
    "polovina",
    "polovinu",
    "polovine",
    "trecina",
    "trecinu",
    "cetvrtina",
    "vecina",
    "vecinu",
    "dvije",
    "dva",
    "tri",
    "deset",
    "sto",
    "hiljadu",
    "svi",
    "sve",
    "svaki",
    "svaka",
    "svako",
    "svih",
    "nemoguce",
    "uvijek",
    "uvek",
    "nikad",
    "nikada",
    "isto",
    "isti",
    "ista",
    "potpuno",
    "cijeli",
    "cijela",
    "ceo",
    "cela",
    "sigurno",
    "pola",
    "dvostruko",
    "identicno",
    "identican",
    "nista",
    "niko",
    "svugdje",
    "svuda",
];

/// After radi: words that make it the verb "works", not the preposition.
pub const RADI_VERB_NEXT: &[&str] = &[
    "i", "na", "u", "bez", "sada", "sad", "kako", "kao", "dobro", "odlicno", "super", "ispravno",
    "normalno", "savrseno", "stabilno", "lokalno", "opet", "ponovo", "brzo", "bolje", "sve", "oba",
    "ok", "vec", "jos", "sa", "s", "preko", "za", "nakon", "poslije", "posle",
];

/// Time nouns after prošl-: "prošle sedmice" is "last week".
pub const TIME_NOUNS: &[&str] = &[
    "sedmic",
    "nedjelj",
    "nedelj",
    "godin",
    "mjesec",
    "mesec",
    "put",
    "petk",
    "ponedjelj",
    "utork",
    "srijed",
    "sred",
    "cetvrt",
    "subot",
    "vikend",
    "tjed",
    "dan",
    "noc",
    "jutr",
    "verzij",
    "sprint",
    "release",
];

/// "radi na tome" — is working on it.
pub const RADI_ACTIVITY_NEXT: &[&str] = &["tome", "tom", "ovome", "ovom", "tomu"];

/// Words that make a sentence a report of failure ("tri padaju").
pub const FAILURE: &[&str] = &[
    "padaju", "pada", "pao", "pala", "pucaju", "puca", "greske", "gresku",
];

pub const AVAILABILITY_SUBJECTS: &[&str] = &["sam", "smo", "si"];

/// Plan / proposal / instruction words in headings ("Prijedlog", "Koraci").
pub const PLAN_WORDS: &[&str] = &[
    "plan",
    "prijedlog",
    "prijedlozi",
    "opcija",
    "opcije",
    "koraci",
    "korak",
    "sljedeci",
    "sledeci",
    "ideja",
    "preporuka",
    "uputstvo",
    "upute",
];

/// After radi / funkcioniše: an explanation or a restriction ("radi ovako", "radi se o",
/// "radi samo simulaciju").
pub const WORKS_EXPLAIN_NEXT: &[&str] = &[
    "ovako",
    "tako",
    "se",
    "samo",
    "slicno",
    "drugacije",
    "sljedeci",
    "sledeci",
    "ovim",
];

/// After "radi na": places where working is a result ("radi na produkciji"); anything else
/// is an activity or a description ("tim radi na dizajnu", "radi na svakom requestu").
pub const RADI_NA_PLACES: &[&str] = &[
    "prod",
    "produkcij",
    "staging",
    "server",
    "android",
    "ios",
    "localhost",
    "lokal",
    "web",
    "mobil",
    "svim",
    "obje",
    "oba",
    "ci",
    "test",
    "dev",
    "telefon",
    "uredjaj",
    "linux",
    "windows",
    "mac",
    "chrom",
    "firefox",
    "safari",
    "port",
];
