// Every string the console and the widget show, in English: the reference table. The zh-CN
// table (messages-zh-cn.ts) is typed by this one, so a missing or extra key fails the type check.
// Syntax is vue-i18n's: `{name}` is a placeholder; `@`, `|`, `{` and `}` are special and must
// not appear as plain text (messages.test.ts compiles every message to prove it).

export const en = {
  app: { name: 'Seamless' },
  error: {
    network: 'Cannot reach the server. Check your connection and try again.',
    generic: 'Something went wrong. Please try again.',
  },

  login: {
    title: 'Sign in to your inbox',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
  },

  header: {
    presence: 'Status',
    language: 'Language',
    logout: 'Log out',
    timeZone: 'Times are shown in {zone}',
  },
  presence: { online: 'Online', away: 'Away', offline: 'Offline' },
  realtime: { connecting: 'Connecting…', reconnecting: 'Reconnecting…' },

  inbox: {
    title: 'Inbox',
    views: 'Views',
    view: {
      mine: 'Mine',
      unassigned: 'Unassigned',
      team: 'My team',
      all: 'All',
      snoozed: 'Snoozed',
      resolved: 'Resolved',
      sla: 'SLA at risk',
    },
    countLabel: '{view}: {count}',
    loading: 'Loading…',
    empty: 'No conversations here.',
    noTeam: 'You are not in a team.',
    loadFailed: 'Could not load conversations.',
    retry: 'Retry',
    visitor: 'Visitor',
    selectPrompt: 'Select a conversation to get started.',
    shortcutsHint: 'Press ? for keyboard shortcuts',
    list: 'Conversations',
  },

  shortcuts: {
    title: 'Keyboard shortcuts',
    close: 'Close',
    next: 'Next conversation',
    previous: 'Previous conversation',
    reply: 'Write a reply',
    resolve: 'Resolve the conversation',
    help: 'Show this list',
    typing: 'Shortcuts are off while you type in a field.',
  },

  status: {
    bot: 'Bot',
    queued: 'Queued',
    open: 'Open',
    snoozed: 'Snoozed',
    resolved: 'Resolved',
    closed: 'Closed',
  },
  priority: { label: 'Priority', low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
  tier: { self_service: 'self-service', junior: 'junior', expert: 'expert' },
  ticketStatus: {
    new: 'New',
    open: 'Open',
    pending: 'Pending',
    on_hold: 'On hold',
    solved: 'Solved',
    closed: 'Closed',
  },

  sla: {
    label: 'SLA',
    none: 'No SLA',
    ok: 'On track',
    warning: 'At risk',
    breached: 'Breached',
    paused: 'Paused',
    dueIn: 'due in {time}',
    overdue: 'overdue by {time}',
    metric: {
      first_response: 'first response',
      next_response: 'next response',
      resolution: 'resolution',
    },
  },
  duration: {
    days: '{d}d {h}h',
    hours: '{h}h {m}m',
    minutes: '{m}m',
    underMinute: 'less than a minute',
  },

  conversation: {
    number: '#{number}',
    actions: 'Actions',
    resolve: 'Resolve',
    resolving: 'Resolving…',
    reopen: 'Reopen',
    reopening: 'Reopening…',
    snooze: 'Snooze',
    transfer: 'Transfer',
    assignedToYou: 'Assigned to you',
    assignedTo: 'Assigned to {name}',
    assignedToOther: 'Assigned to a teammate',
    unassigned: 'Unassigned',
    empty: 'No messages yet.',
    loadFailed: 'Could not load this conversation.',
    privateNote: 'Private note',
    botAnswer: 'Bot answer',
    confidence: 'confidence {percent}%',
    cited: 'Cited articles',
    handoffTitle: 'Hand-off summary',
    handoffReason: 'Why: {reason}',
    handoffRouting: 'Routing: {tier} tier, language {language}, priority {priority}',
    snoozedUntil: 'Snoozed until {time}',
    snoozedUntilReply: 'Snoozed until the customer replies',
    done: 'Done.',
  },

  snooze: {
    title: 'Snooze until',
    untilReply: 'The customer replies',
    oneHour: 'In 1 hour',
    tomorrow: 'Tomorrow at 9:00',
    nextWeek: 'Monday at 9:00',
    custom: 'A chosen time',
    apply: 'Snooze',
    cancel: 'Cancel',
  },

  transfer: {
    title: 'Transfer to',
    agents: 'Agents',
    teams: 'Teams',
    teamOf: 'Team: {names}',
    choose: 'Choose an agent or a team',
    apply: 'Transfer',
    cancel: 'Cancel',
    you: '{name} (you)',
  },

  handoffReason: {
    not_helpful: 'the answer did not help',
    wants_human: 'the customer asked for a person',
    customer_wrote_again: 'the customer wrote again',
  },

  author: { customer: 'Customer', agent: 'Agent', bot: 'Bot', system: 'System' },

  reply: {
    modeReply: 'Reply',
    modeNote: 'Private note',
    label: 'Message',
    placeholder: 'Reply to the customer… (Enter to send, Shift+Enter for a new line)',
    notePlaceholder: 'Write a private note — only your team sees it…',
    send: 'Send',
    addNote: 'Add note',
    sending: 'Sending…',
    failed: 'Not sent: {message}',
  },

  customer: {
    title: 'Customer',
    details: 'Customer details',
    showDetails: 'Customer details',
    hideDetails: 'Hide details',
    anonymous: 'Anonymous visitor',
    email: 'Email',
    noEmail: 'No email given',
    conversation: 'Conversation',
    status: 'Status',
    started: 'Started',
    language: 'Language',
    tier: 'Tier',
  },

  suggested: {
    title: 'Suggested articles',
    empty: 'No matching articles.',
    loadFailed: 'Could not load suggestions.',
    opensHelpCenter: 'opens the help center in a new tab',
  },

  journey: {
    title: 'Journey',
    empty: 'Nothing has happened yet.',
    loading: 'Loading…',
    loadFailed: 'Could not load the journey.',
    theCustomer: 'The customer',
    aTeammate: 'A teammate',
    conversationRef: 'conversation #{number}',
    ticketRef: 'ticket #{number}',
    aConversation: 'a conversation',
    aTicket: 'a ticket',
    conversation: {
      created: '{customer} started {conversation}',
      classified: '{conversation} was classified: topic {intent}, {tier} tier',
      assigned: '{conversation} was assigned to {agent}',
      assignedBy: '{actor} assigned {conversation} to {agent}',
      requeued: '{conversation} went back to the queue',
      resolved: '{conversation} was resolved',
      resolvedBy: '{actor} resolved {conversation}',
      reopened: '{conversation} was reopened',
      reopenedBy: '{actor} reopened {conversation}',
      snoozedUntil: '{actor} snoozed {conversation} until {time}',
      snoozedUntilReply: '{actor} snoozed {conversation} until the customer replies',
      unsnoozed: '{conversation} is back from snooze',
      closed: '{conversation} was closed',
      teamChanged: '{conversation} moved to team {team}',
      priorityChanged: 'Priority of {conversation} changed from {from} to {to}',
      merged: '{conversation} was merged into another conversation',
      mergedInto: 'Another conversation was merged into {conversation}',
    },
    message: {
      customer: '{customer} wrote: “{excerpt}”',
      agent: '{actor} replied: “{excerpt}”',
      note: '{actor} added a private note: “{excerpt}”',
      bot: 'The bot answered: “{excerpt}”',
      handoff: 'The bot left a hand-off summary for the team',
      system: '“{excerpt}”',
    },
    presence: '{actor} is now {presence}',
    ticket: {
      created: '{ticket} was opened: {subject}',
      statusChanged: '{ticket} changed from {from} to {to}',
      assigned: '{ticket} was assigned to {agent}',
      unassigned: '{ticket} was unassigned',
      priorityChanged: 'Priority of {ticket} changed from {from} to {to}',
      pendingReminder: '{ticket} has waited {hours} hours for the customer',
      closed: '{ticket} was closed',
    },
    sla: {
      warning: 'The {metric} target of {subject} is at risk',
      breached: 'The {metric} target of {subject} was missed',
      escalated: '{subject} was escalated: {action}',
      action: {
        notify: 'the team lead was notified',
        raise_priority: 'the priority was raised',
        move_to_expert: 'moved to the expert tier',
      },
    },
    bot: {
      answered: 'The bot answered {conversation} (confidence {percent}%)',
      declined: 'The bot did not answer {conversation}',
      handedOff: 'The bot handed {conversation} to a person: {reason}',
      helpful: '{customer} said the bot’s answer helped',
      notHelpful: '{customer} said the bot’s answer did not help',
      assumedResolved: '{conversation} was resolved: no reply after the bot’s answer',
    },
    settingsChanged: 'Settings changed: {section}',
    unknown: 'Event: {type}',
  },

  widget: {
    title: 'Chat with us',
    subtitle: 'We usually reply within a few minutes.',
    open: 'Open chat',
    close: 'Close chat',
    greeting: 'Hi there! How can we help?',
    placeholder: 'Type your message…',
    send: 'Send',
    you: 'You',
    team: 'Support',
    bot: 'Bot',
    sending: 'Sending…',
    failed: 'Message not sent. Press send to try again.',
    startFailed: 'Chat is unavailable right now. Please try again shortly.',
    resolved: 'This conversation was resolved. Write again to start a new one.',
    sources: 'Articles',
    feedbackQuestion: 'Did this answer your question?',
    helpful: 'This helped',
    wantsHuman: 'Talk to a person',
    thanks: 'Glad it helped!',
    connecting: 'Connecting you to a person…',
    feedbackFailed: 'That did not work: {message}',
    reconnecting: 'Reconnecting…',
  },
} as const;

/** Every key as the dotted path `t()` takes, e.g. `'inbox.view.mine'`. */
export type MessageKey = Leaves<typeof en>;

/** The shape a translation must have: every key of the English table, each a string. */
export type MessageSchema = Strings<typeof en>;

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

type Strings<T> = { readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
