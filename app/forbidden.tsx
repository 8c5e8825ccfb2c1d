export { NotForYouView as default, notForYouMetadata as generateMetadata } from "@/components/not-for-you";
