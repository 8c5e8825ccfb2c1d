/**
 * Who is responsible for owners' data (the PIPL's 个人信息处理者) and how to reach them, in one
 * place: the privacy page and docs/privacy.md read it. These are placeholders for the operator of
 * a deployment to replace with its legal name and a monitored mailbox.
 */
export const DATA_CONTROLLER = {
  nameZh: "Reclaim 运营方（示例名称，部署时替换）",
  nameEn: "the Reclaim operator (a placeholder name, replaced at deployment)",
  email: "privacy@reclaim.example",
} as const;

/** Where each right on the privacy page is exercised: a working path for every one. */
export const RIGHT_PATHS = {
  access: "/me/data",
  copy: "/me/data#download-title",
  correction: "/me",
  deletion: "/me/data/delete",
  consent: "/me/platforms",
  explanation: `mailto:${DATA_CONTROLLER.email}`,
  complaint: `mailto:${DATA_CONTROLLER.email}`,
} as const;
