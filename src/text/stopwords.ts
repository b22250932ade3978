/**
 * English function words that carry no topic, including the chat spellings people type
 * ("im", "tho", "u", "r") and "used" (as in "used to be", whose stem "us" would match the
 * country). Kept short on purpose: words such as "how", "move" or "new" can matter to a
 * question, so only grammatical words are listed. "any" and "tell" are stop words only in
 * some places, decided by contentWords (analyze.ts). Forms with 's, 've, 'd, 'll, 're or 'm
 * are not listed (the n't forms are): words() drops "'s", and isStopword takes "you've",
 * "they'll" for their base word. "ex" is the prefix of "ex-military", split off as a word.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and are aren't as at be because been before being
  below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
  each few for from further had hadn't has hasn't have haven't having he her here hers
  herself him himself his i if in into is isn't it its itself just me more most
  mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't
  she should shouldn't so some such than that the their theirs them themselves then
  there these they this those through to too under until up very was
  wasn't we were weren't what when where which while who
  whom why will with won't would wouldn't you your yours yourself yourselves
  s t d ll m re ve y really even still much many lot lots get got
  whats hows whos wheres im ive id dont doesnt didnt cant wont isnt arent wasnt thats theres youre theyre
  actually honestly basically kind kinda sort like maybe probably pretty quite yet already ever
  eventually literally totally definitely seriously obviously truly simply instead anyway anyways rather perhaps mine
  otherwise meanwhile furthermore moreover therefore thus hence somehow somewhat sorta
  onto upon toward towards across along among around behind beside beyond via whether though although unless since per done
  without within besides despite except throughout amid unlike versus vs every either neither whose whatever whoever
  whenever wherever however may might must shall
  anyone anybody someone somebody something anything everything nothing everyone everybody nobody
  somewhere anywhere everywhere nowhere else elsewhere thing things stuff way ways guess think thinks know knows want wants wanted
  one ones say said please thanks thank hi hello hey ok okay yes yeah well oh um used
  tho u ur r n abt pls plz thx cuz bc gonna wanna gotta lol btw imo tbh idk rn ex`
    .split(/\s+/)
    .filter(Boolean),
);
