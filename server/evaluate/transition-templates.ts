/**
 * The words a bot says when it hands over (issue 11): built-in templates per locale, and the pieces that fill
 * their placeholders. `{ack}` acknowledges what the customer is trying to do, `{wait}` is a measured duration
 * ("5 minutes", only in `withWait`), `{nextOpen}` says when the team is back ("on Monday, December 28 at 9:00
 * AM GMT+1", only in `closed`). Every variant promises the customer won't need to repeat themselves; `closed`
 * also offers an email follow-up. No variant without `{wait}` states a number. Tenants override any variant per
 * locale (`tenants[].evaluate.templates.<locale>`), checked at config load (evaluate-config.ts).
 */

export const TRANSITION_LOCALES = ['en', 'es', 'de', 'fr', 'pt-BR', 'ja'] as const;
export type TransitionLocale = (typeof TRANSITION_LOCALES)[number];

export const TEMPLATE_VARIANTS = ['withWait', 'noWait', 'closed'] as const;
export type TemplateVariant = (typeof TEMPLATE_VARIANTS)[number];
export type TransitionTemplates = Record<TemplateVariant, string>;

export const PLACEHOLDERS = ['ack', 'wait', 'nextOpen'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Which placeholders each variant must have and may have: a number only where one was measured. */
export const VARIANT_RULES: Readonly<Record<TemplateVariant, { required: Placeholder[]; allowed: Placeholder[] }>> = {
  withWait: { required: ['wait'], allowed: ['ack', 'wait'] },
  noWait: { required: [], allowed: ['ack'] },
  closed: { required: ['nextOpen'], allowed: ['ack', 'nextOpen'] },
};

export const BUILTIN_TEMPLATES: Readonly<Record<TransitionLocale, TransitionTemplates>> = {
  en: {
    withWait: "{ack} A person from our team is taking over from here; they usually reply in about {wait}. They'll see this whole conversation, so you won't need to repeat anything.",
    noWait: "{ack} A person from our team is taking over from here and will reply as soon as they can. They'll see this whole conversation, so you won't need to repeat anything.",
    closed:
      "{ack} Our team is away right now; someone will answer {nextOpen}. If you'd rather not wait here, leave your email address and we'll follow up by email. They'll see this whole conversation, so you won't need to repeat anything.",
  },
  es: {
    withWait: '{ack} Una persona de nuestro equipo se encargará a partir de aquí; suele responder en unos {wait}. Verá toda esta conversación, así que no tendrás que repetir nada.',
    noWait: '{ack} Una persona de nuestro equipo se encargará a partir de aquí y te responderá lo antes posible. Verá toda esta conversación, así que no tendrás que repetir nada.',
    closed:
      '{ack} Nuestro equipo no está disponible en este momento; alguien te responderá {nextOpen}. Si prefieres no esperar aquí, déjanos tu correo electrónico y te responderemos por correo. Verá toda esta conversación, así que no tendrás que repetir nada.',
  },
  de: {
    withWait: '{ack} Eine Person aus unserem Team übernimmt jetzt und antwortet in der Regel in etwa {wait}. Sie sieht den gesamten Verlauf, Sie müssen also nichts wiederholen.',
    noWait: '{ack} Eine Person aus unserem Team übernimmt jetzt und antwortet so bald wie möglich. Sie sieht den gesamten Verlauf, Sie müssen also nichts wiederholen.',
    closed:
      '{ack} Unser Team ist gerade nicht erreichbar; jemand antwortet Ihnen {nextOpen}. Wenn Sie nicht hier warten möchten, hinterlassen Sie Ihre E-Mail-Adresse, dann melden wir uns per E-Mail. Der gesamte Verlauf liegt dann vor, Sie müssen also nichts wiederholen.',
  },
  fr: {
    withWait: "{ack} Une personne de notre équipe prend le relais ; elle répond en général en {wait} environ. Elle verra toute cette conversation, vous n'aurez donc rien à répéter.",
    noWait: "{ack} Une personne de notre équipe prend le relais et vous répondra dès que possible. Elle verra toute cette conversation, vous n'aurez donc rien à répéter.",
    closed:
      "{ack} Notre équipe est absente pour le moment ; quelqu'un vous répondra {nextOpen}. Si vous préférez ne pas attendre ici, laissez-nous votre adresse e-mail et nous vous répondrons par e-mail. Toute cette conversation sera transmise, vous n'aurez donc rien à répéter.",
  },
  'pt-BR': {
    withWait: '{ack} Uma pessoa da nossa equipe vai assumir a partir daqui; ela costuma responder em cerca de {wait}. Ela vai ver toda esta conversa, então você não vai precisar repetir nada.',
    noWait: '{ack} Uma pessoa da nossa equipe vai assumir a partir daqui e vai responder assim que possível. Ela vai ver toda esta conversa, então você não vai precisar repetir nada.',
    closed:
      '{ack} Nossa equipe não está disponível agora; alguém vai responder {nextOpen}. Se preferir não esperar aqui, deixe seu e-mail e retornaremos por e-mail. Toda esta conversa será repassada, então você não vai precisar repetir nada.',
  },
  ja: {
    withWait: '{ack}これから担当者が対応いたします。通常、約{wait}でご返信しています。これまでの会話はすべて担当者に引き継がれますので、同じ内容を繰り返していただく必要はありません。',
    noWait: '{ack}これから担当者が対応いたします。できるだけ早くご返信します。これまでの会話はすべて担当者に引き継がれますので、同じ内容を繰り返していただく必要はありません。',
    closed:
      '{ack}ただいま営業時間外です。{nextOpen}に担当者からご返信します。ここでお待ちいただかなくても、メールアドレスをお知らせいただければメールでご連絡いたします。これまでの会話はすべて担当者に引き継がれますので、同じ内容を繰り返していただく必要はありません。',
  },
};

/** What the customer is trying to do, by topic (analysis/topics.ts DEFAULT_TOPICS); `other` and custom topics use `want` or `generic`. */
export interface AckText {
  topics: Readonly<Record<string, string>>;
  /** The customer's own stated want, quoted (analysis/customer-wants.ts); `{want}` is their sentence without its closing punctuation. */
  want: string;
  generic: string;
  /** `{nextOpen}` when no opening falls in the next 400 days (no weekly hours at all). */
  unknownReturn: string;
  /** `{nextOpen}` around the formatted date. */
  onDate: (date: string) => string;
}

export const ACK_TEXT: Readonly<Record<TransitionLocale, AckText>> = {
  en: {
    topics: {
      billing_dispute: 'I understand you want to sort out a charge on your account.',
      refund: "I understand you're asking for a refund.",
      cancellation: 'I understand you want to cancel.',
      billing_payment: 'I understand you have a question about a payment or an invoice.',
      account_security: 'I understand this is about the security of your account.',
      account_management: 'I understand you want to change your account details.',
      shipping_order: 'I understand this is about your order.',
      technical_issue: "I understand something isn't working as it should.",
      legal: 'I understand this is a legal matter.',
      complaint: 'I understand you want to make a complaint.',
      feedback: 'Thank you for your feedback.',
      how_to: 'I understand you want to know how to do something.',
    },
    want: 'I understand you asked: “{want}”.',
    generic: 'Thank you for explaining what you need.',
    unknownReturn: 'as soon as the team is back',
    onDate: (d) => `on ${d}`,
  },
  es: {
    topics: {
      billing_dispute: 'Entiendo que quieres aclarar un cargo en tu cuenta.',
      refund: 'Entiendo que solicitas un reembolso.',
      cancellation: 'Entiendo que quieres cancelar.',
      billing_payment: 'Entiendo que tienes una pregunta sobre un pago o una factura.',
      account_security: 'Entiendo que se trata de la seguridad de tu cuenta.',
      account_management: 'Entiendo que quieres cambiar los datos de tu cuenta.',
      shipping_order: 'Entiendo que se trata de tu pedido.',
      technical_issue: 'Entiendo que algo no funciona como debería.',
      legal: 'Entiendo que se trata de un asunto legal.',
      complaint: 'Entiendo que quieres presentar una queja.',
      feedback: 'Gracias por tus comentarios.',
      how_to: 'Entiendo que quieres saber cómo hacer algo.',
    },
    want: 'Entiendo que pediste: «{want}».',
    generic: 'Gracias por explicar lo que necesitas.',
    unknownReturn: 'en cuanto el equipo vuelva',
    onDate: (d) => `el ${d}`,
  },
  de: {
    topics: {
      billing_dispute: 'Ich verstehe, dass Sie eine Abbuchung auf Ihrem Konto klären möchten.',
      refund: 'Ich verstehe, dass Sie eine Erstattung möchten.',
      cancellation: 'Ich verstehe, dass Sie kündigen möchten.',
      billing_payment: 'Ich verstehe, dass Sie eine Frage zu einer Zahlung oder Rechnung haben.',
      account_security: 'Ich verstehe, dass es um die Sicherheit Ihres Kontos geht.',
      account_management: 'Ich verstehe, dass Sie Ihre Kontodaten ändern möchten.',
      shipping_order: 'Ich verstehe, dass es um Ihre Bestellung geht.',
      technical_issue: 'Ich verstehe, dass etwas nicht so funktioniert, wie es sollte.',
      legal: 'Ich verstehe, dass es sich um eine rechtliche Angelegenheit handelt.',
      complaint: 'Ich verstehe, dass Sie sich beschweren möchten.',
      feedback: 'Vielen Dank für Ihr Feedback.',
      how_to: 'Ich verstehe, dass Sie wissen möchten, wie etwas geht.',
    },
    want: 'Ich verstehe, Sie haben geschrieben: „{want}“.',
    generic: 'Danke, dass Sie Ihr Anliegen geschildert haben.',
    unknownReturn: 'sobald das Team wieder da ist',
    onDate: (d) => `am ${d}`,
  },
  fr: {
    topics: {
      billing_dispute: 'Je comprends que vous souhaitez régler un prélèvement sur votre compte.',
      refund: 'Je comprends que vous demandez un remboursement.',
      cancellation: 'Je comprends que vous souhaitez résilier.',
      billing_payment: 'Je comprends que vous avez une question sur un paiement ou une facture.',
      account_security: 'Je comprends que cela concerne la sécurité de votre compte.',
      account_management: 'Je comprends que vous souhaitez modifier les informations de votre compte.',
      shipping_order: 'Je comprends que cela concerne votre commande.',
      technical_issue: 'Je comprends que quelque chose ne fonctionne pas comme prévu.',
      legal: "Je comprends qu'il s'agit d'une question juridique.",
      complaint: 'Je comprends que vous souhaitez déposer une réclamation.',
      feedback: 'Merci pour votre retour.',
      how_to: 'Je comprends que vous voulez savoir comment faire quelque chose.',
    },
    want: 'Je comprends que vous avez demandé : « {want} ».',
    generic: "Merci d'avoir expliqué ce dont vous avez besoin.",
    unknownReturn: "dès le retour de l'équipe",
    onDate: (d) => `le ${d}`,
  },
  'pt-BR': {
    topics: {
      billing_dispute: 'Entendo que você quer resolver uma cobrança na sua conta.',
      refund: 'Entendo que você está pedindo um reembolso.',
      cancellation: 'Entendo que você quer cancelar.',
      billing_payment: 'Entendo que você tem uma dúvida sobre um pagamento ou uma fatura.',
      account_security: 'Entendo que isso envolve a segurança da sua conta.',
      account_management: 'Entendo que você quer alterar os dados da sua conta.',
      shipping_order: 'Entendo que isso é sobre o seu pedido.',
      technical_issue: 'Entendo que algo não está funcionando como deveria.',
      legal: 'Entendo que se trata de uma questão jurídica.',
      complaint: 'Entendo que você quer registrar uma reclamação.',
      feedback: 'Obrigado pelo seu comentário.',
      how_to: 'Entendo que você quer saber como fazer algo.',
    },
    want: 'Entendo que você pediu: “{want}”.',
    generic: 'Obrigado por explicar do que você precisa.',
    unknownReturn: 'assim que a equipe voltar',
    // Weekdays are feminine (segunda-feira…) except sábado and domingo.
    onDate: (d) => (/^(?:sábado|domingo)/i.test(d) ? `no ${d}` : `na ${d}`),
  },
  ja: {
    topics: {
      billing_dispute: 'アカウントへの請求についてのお問い合わせと承知しました。',
      refund: '返金のご依頼と承知しました。',
      cancellation: '解約のご希望と承知しました。',
      billing_payment: 'お支払いまたは請求書についてのご質問と承知しました。',
      account_security: 'アカウントのセキュリティに関するお問い合わせと承知しました。',
      account_management: 'アカウント情報の変更のご希望と承知しました。',
      shipping_order: 'ご注文についてのお問い合わせと承知しました。',
      technical_issue: '正常に動作しない問題が起きていると承知しました。',
      legal: '法的なご相談と承知しました。',
      complaint: '苦情のお申し出と承知しました。',
      feedback: 'ご意見をお寄せいただきありがとうございます。',
      how_to: '操作方法についてのご質問と承知しました。',
    },
    want: '「{want}」とのご依頼と承知しました。',
    generic: 'ご用件をお知らせいただきありがとうございます。',
    unknownReturn: '営業再開後',
    onDate: (d) => `${d}以降`,
  },
};
