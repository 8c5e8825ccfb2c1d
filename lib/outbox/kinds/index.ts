import type { OutboxRegistry } from "../types";
import { caseReplySms } from "./case-reply-sms";
import { ownerSms, type OwnerSmsDeps } from "./owner-sms";
import { platformEvent } from "./platform-event";
import { unbindRequest, type UnbindRequestDeps } from "./unbind-request";
import { wrongPartyReport } from "./wrong-party-report";

/**
 * The registry: every outbox kind and its handler, one line each. A new kind of message is one
 * handler file beside these, one line here, and its value in the `outbox_kind` enum (the registry
 * is typed by it, so a kind without a handler does not compile).
 */
export const outboxKinds: OutboxRegistry<DispatchDeps> = {
  unbind_request: unbindRequest,
  owner_sms: ownerSms,
  wrong_party_report: wrongPartyReport,
  platform_event: platformEvent,
  case_reply_sms: caseReplySms,
};

/** What the dispatcher is given: the engine's collaborators and every kind's. */
export type DispatchDeps = UnbindRequestDeps & OwnerSmsDeps;
