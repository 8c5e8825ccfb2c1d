export { NotFoundView as default } from "@/components/not-found-view";
