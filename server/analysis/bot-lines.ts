/**
 * What a bot sentence is when it is not a solution (issue 14): an acknowledgement ("Of course."), an apology,
 * a question back, a greeting, a restatement of the problem ("This looks like a security issue."), a
 * hand-over announcement ("I'll ask a teammate"), or the bot saying it cannot help. Only the last is
 * evidence of something (the bot failed: triggers.ts); none of them is ever an attempted solution.
 * Patterns run on accent-folded, quote-normalised text (en, es, de, fr, pt, ja).
 */

export type BotLineKind = 'acknowledgement' | 'apology' | 'question' | 'greeting' | 'restatement' | 'handover' | 'cannot_help';

// "Of course." "Understood." "Sure!" "Got it, thanks." — a sentence that is only an acknowledgement.
const ACK_RE =
  /^\W*(?:of course|sure(?: thing)?|certainly|absolutely|understood|i understand|i see|got it|ok(?:ay)?|alright|all right|right|noted|no problem|(?:great|good) question|thanks?(?: you)?(?: for [^.!?]{0,80})?|great|perfect|happy to help|glad to help|i'?d be happy to help|entendido|entiendo|claro|por supuesto|de acuerdo|vale|gracias(?: por [^.!?]{0,80})?|verstanden|verstehe|alles klar|naturlich|gerne|danke(?: fur [^.!?]{0,80})?|compris|je comprends|bien sur|d'accord|tres bien|merci(?: pour [^.!?]{0,80})?|entendi|entendo|com certeza|claro|certo|obrigad[oa](?: por [^.!?]{0,80})?|承知(?:しました|いたしました)|かしこまりました|わかりました|了解(?:しました)?|ありがとうございます)\W*$/i;
const APOLOGY_RE = /^\W*(?:i (?:completely |totally )?understand (?:how|that|your|why)|i can (?:only )?imagine|i hear you|that (?:must|sounds) (?:be )?(?:frustrating|annoying|stressful)|(?:i'?m|i am|we'?re|we are) (?:so |very |really )?sorry|sorry|i apologi[sz]e|my apologies|apologies|lo siento|disculpa|perdon|es tut mir leid|entschuldig|tut mir leid|je suis desole|desole|pardon|sinto muito|desculpe|lamento|申し訳(?:ございません|ありません)|すみません)/i;
const GREETING_RE = /^\W*(?:hi|hello|hey|good (?:morning|afternoon|evening)|welcome|hola|buenos dias|hallo|guten tag|bonjour|ola|oi|bom dia|こんにちは|いらっしゃいませ)\b[^.!?]{0,60}[.!?]?\s*$|\bhow (?:can|may) i (?:help|assist)|\bwhat can i (?:do|help)|\bin que (?:te |le )?puedo ayudar|\bwie kann ich (?:ihnen )?helfen|\bcomment puis-je vous aider|\bcomo posso (?:te |lhe )?ajudar/i;
// "I can help you with that." offers help; it is not help.
const OFFER_HELP_RE = /^\W*(?:i can|i'?d be (?:happy|glad) to|i'?ll be (?:happy|glad) to|happy to|glad to|let me|i'?ll try to|i will try to) (?:help|assist)(?: you)?(?: with (?:that|this|it|your \w+))?\W*$/i;
// "This looks like a security issue." "It sounds like you were charged twice." — naming the problem back.
const RESTATE_RE = /^\W*(?:(?:this|that|it) (?:looks|sounds|seems) like|it (?:looks|sounds|seems) (?:like|that)|(?:this|that) (?:is|appears to be|might be|may be) an? (?:\w+ ){0,3}(?:issue|problem|question|matter|request|case)\b|i (?:can )?see (?:that )?you(?:'re| are)? (?:having|experiencing|facing|asking|want|would like)|parece (?:que|un)|das klingt (?:nach|so)|es scheint|cela ressemble|il semble|on dirait|parece que)/i;
// Hand-over announcements: the bot passing the conversation on is not something it tried.
const HANDOVER_RE =
  /\b(?:i'?ll|i will|let me|i'?m going to|i am going to|we'?ll|we will|i'?ve|i have|we'?ve|we have|i'?m|i am) (?:now |just |quickly )?(?:connect|connected|connecting|transfer|transferred|transferring|pass|passed|passing|hand|handed|handing|forward|forwarded|forwarding|escalate|escalating|escalated|route|routed|routing|get|getting|bring|bringing|ask|asked|asking|loop|looped|looping|put|putting|check with|flag|flagged|flagging|notif(?:y|ied)|alert|alerted|share|shared)\b[^.!?]{0,60}\b(?:agent|human|person|teammate|team ?mate|team member|colleague|specialist|expert|representative|rep|someone|somebody|support team|our team|the team|staff|manager|supervisor|operator|security team|billing team|legal team|privacy team)|\b(?:you'?re|you are|you'?ll be|you will be) (?:being |now )?(?:transferred|connected|passed|routed|put through)\b|\b(?:create|created|creating|open|opened|opening|raise|raised|log|logged|file|filed|submit|submitted) (?:a |an |the )?(?:support |new |priority )?(?:ticket|case)\b|\bescalat(?:e|ed|ing|ion)\b|\b(?:an?|one of our|our) (?:human |live |real |support )?(?:agent|human|person|teammate|team member|colleague|specialist|representative|support agent)s? (?:will|is going to|should|can) (?:be|get|join|reach|contact|follow|take|help|look|reply|respond|confirm)|\b(?:connecting|transferring) you\b|\bplease (?:hold|wait)\b[^.!?]{0,40}\b(?:connect|transfer|agent|human|person|someone|team)|\bwait(?:ing)? (?:for|while) (?:an? )?(?:agent|human|person|someone|colleague)|\b(?:te|le) (?:paso|transfiero|comunico|conecto) con|\bun (?:agente|companero|asesor) (?:te|le) (?:atendera|contactara|ayudara)|\b(?:ich )?(?:verbinde|leite) (?:sie|dich) (?:weiter|mit)|\bein(?:e)? (?:kollegin?|mitarbeiter(?:in)?|berater(?:in)?) (?:wird|meldet)|\bje (?:vous )?(?:transfere|mets en relation|transmets)|\bun (?:conseiller|agent|collegue) (?:va|vous)|\b(?:vou|vamos) (?:te |lhe )?(?:transferir|passar|encaminhar)|\bum (?:atendente|agente|colega) (?:vai|ira)|担当者(?:に|へ)(?:おつなぎ|お繋ぎ|引き継ぎ|転送)|オペレーター(?:に|へ)(?:おつなぎ|お繋ぎ)/i;
// The bot saying it cannot help: evidence that it failed (triggers.ts), never a solution.
const CANNOT_HELP_RE =
  /\b(?:i (?:couldn'?t|could not|can'?t|cannot|wasn'?t able to|was not able to|am unable to|am not able to) (?:find|help|answer|assist|access|do|resolve|fix|see|look|process|locate|understand)|i'?m (?:unable|not able) to (?:find|help|answer|assist|access|do|resolve|fix|see|look|process|locate|understand)|i (?:didn'?t|did not|don'?t|do not) (?:understand|quite understand|get that|follow|have (?:an answer|information|the information|access|that information|details)|know)|(?:i'?m|i am) (?:not sure|afraid i (?:can'?t|cannot|don'?t))|(?:that'?s|that is|this is) (?:outside|beyond|not something) (?:what|of|i)|(?:unfortunately,? )?i (?:have no|found no|don'?t have any) (?:answer|information|results?|articles?)|no (?:results|articles|answers?) (?:found|were found|matched)|could you (?:rephrase|try rephrasing|say (?:that|it) (?:again|differently))|can you rephrase|i'?m still learning|no (?:he podido|puedo|pude) (?:encontrar|ayudar|resolver)|no (?:entiendo|entendi)|ich (?:konnte|kann) (?:keine|nicht|leider)|(?:kann|konnte) ich (?:ihnen )?(?:leider )?(?:dabei |hier )?(?:nicht|keine)|no tengo (?:informacion|esa informacion|una respuesta|respuesta)|je n'ai pas (?:la |de )?(?:reponse|information)|nao tenho (?:essa |esta )?(?:informacao|resposta)|ich (?:habe|hab) (?:keine|leider keine) (?:antwort|information)|ich verstehe (?:leider )?nicht|je (?:n'ai pas pu|ne peux pas|ne suis pas en mesure)|je n'ai pas (?:trouve|compris)|je ne comprends pas|nao (?:consegui|consigo|encontrei|entendi|posso ajudar)|(?:お答え|回答|対応|ご案内)(?:でき|出来)(?:ません|かねます)|見つかりませんでした|わかりませんでした|理解できませんでした)/i;

/** The non-solution kind of one sentence (folded text), or undefined when it may carry a solution. */
export function botLineKind(folded: string): BotLineKind | undefined {
  const s = folded.trim();
  if (!s) return 'acknowledgement';
  if (CANNOT_HELP_RE.test(s)) return 'cannot_help';
  if (HANDOVER_RE.test(s)) return 'handover';
  if (/[?？]\s*$/.test(s)) return 'question';
  // "Noted, thanks for the details." is two acknowledgements in one sentence.
  if (ACK_RE.test(s) || s.split(',').every((part) => ACK_RE.test(part))) return 'acknowledgement';
  if (OFFER_HELP_RE.test(s)) return 'acknowledgement';
  if (APOLOGY_RE.test(s) && !/\b(?:but|however|pero|aber|mais|mas)\b/i.test(s)) return 'apology';
  if (GREETING_RE.test(s)) return 'greeting';
  if (RESTATE_RE.test(s)) return 'restatement';
  return undefined;
}

/** True when the bot turn says it could not help (one sentence is enough). */
export function botCannotHelp(folded: string): boolean {
  return CANNOT_HELP_RE.test(folded);
}
