/** Reply shapes (SPEC 4.1, 4.3): what the worker returns and the gateway passes through unchanged. */
import type { ConversationStatus, Priority } from './enums.js';

export interface ConversationCounts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}

export interface PageMeta extends ConversationCounts {
  current_page: number;
  per_page: number;
  total_pages: number;
}

export interface ConversationListReply {
  data: { meta: PageMeta; payload: ConversationJson[] };
}

export interface ConversationMetaReply {
  meta: ConversationCounts;
}

export interface ContactJson {
  id: number;
  name: string | null;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  thumbnail: string;
  additional_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  blocked: boolean;
  availability_status: string;
  created_at: number;
  last_activity_at: number;
}

export interface AssigneeJson {
  id: number;
  account_id: number;
  name: string;
  available_name: string;
  email: string;
  role: string;
  availability_status: string;
  thumbnail: string;
}

export interface TeamJson {
  id: number;
  name: string;
  description: string | null;
  allow_auto_assign: boolean;
  account_id: number;
}

export interface MessageSenderJson {
  id: number;
  name: string | null;
  type: 'contact' | 'user' | 'agent_bot';
  thumbnail: string;
}

export interface MessageJson {
  id: number;
  content: string | null;
  account_id: number;
  inbox_id: number;
  conversation_id: number;
  message_type: number;
  private: boolean;
  status: string;
  content_type: string;
  created_at: number;
  sender: MessageSenderJson | null;
}

export interface ConversationJson {
  meta: {
    sender: ContactJson;
    channel: string;
    assignee?: AssigneeJson;
    assignee_type?: 'User';
    team?: TeamJson;
    hmac_verified: boolean;
  };
  id: number;
  messages: MessageJson[];
  account_id: number;
  uuid: string;
  additional_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  inbox_id: number;
  labels: string[];
  status: ConversationStatus;
  priority: Priority | null;
  muted: boolean;
  can_reply: boolean;
  snoozed_until: string | null;
  created_at: number;
  updated_at: number;
  timestamp: number;
  last_activity_at: number;
  agent_last_seen_at: number;
  assignee_last_seen_at: number;
  contact_last_seen_at: number;
  first_reply_created_at: number;
  waiting_since: number;
  unread_count: number;
  last_non_activity_message: MessageJson | null;
}
