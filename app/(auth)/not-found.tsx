export { NotFoundView as default, notFoundMetadata as generateMetadata } from "@/components/not-found-view";
