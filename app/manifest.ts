import type { MetadataRoute } from "next";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";

/** The colour of the mark (app/icon.svg) and of the browser's UI around the installed app. */
export const BRAND_COLOUR = "#0b5c8c";

/**
 * Owners come back over weeks, on a phone: the service can be installed to the home screen and
 * opens on the number page. One manifest serves both languages, so the name carries both.
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: `${zh.brand.name} · ${zh.brand.tagline} · ${en.brand.tagline}`,
    short_name: zh.brand.name,
    description: zh.meta.description,
    lang: "zh-CN",
    start_url: "/me",
    scope: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: BRAND_COLOUR,
    icons: [
      { src: "/icons/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "/icons/maskable-192.png", sizes: "192x192", type: "image/png", purpose: "maskable" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
