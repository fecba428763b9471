export {
  TLS_CERTIFICATE_TYPE,
  TlsCertificate,
  tlsCertificateProvider,
  type CertificateProfile,
  type KeyAlgorithm,
  type KeyPair,
  type TlsCertificateArgs,
  type TlsCertificateInputs,
  type TlsCertificateState,
} from "./certificate";
export { CA_FILE_NAME, InterServiceTls, type InterServiceTlsArgs } from "./inter-service-tls";
export { SigningCertificate, type SigningCertificateArgs } from "./signing-certificate";
export {
  DEFAULT_RENEW_BEFORE_DAYS,
  DEFAULT_VALIDITY_DAYS,
  MAX_VALIDITY_DAYS,
  requireHostPath,
  SERVICE_IP_ADDRESSES,
  serviceDnsNames,
  type ServiceCertificate,
} from "./spec";
export { RANDOM_KEY_TYPE, RandomKey, randomKeyProvider, type RandomKeyState } from "./random-key";
