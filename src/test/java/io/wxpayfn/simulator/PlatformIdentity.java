package io.wxpayfn.simulator;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The platform side's signing identity: one RSA key, known to merchants both as a public key with a
 * {@code PUB_KEY_ID_…} id and as a self-signed "platform certificate" (the older mode).
 */
final class PlatformIdentity {

    private final KeyPair keyPair = SimCrypto.newRsaKeyPair();
    private final String publicKeyId = "PUB_KEY_ID_" + SimCrypto.randomDigits(32);
    private final X509Certificate certificate = selfSignedCertificate(keyPair);
    private final String certificateSerial =
            certificate.getSerialNumber().toString(16).toUpperCase();

    private volatile SigningKey signingKey = SigningKey.AS_REQUESTED;

    String publicKeyId() {
        return publicKeyId;
    }

    void signWith(SigningKey key) {
        signingKey = key;
    }

    /** The serial to sign an answer under, given the request's Wechatpay-Serial header (may be null). */
    String responseSerial(String requestedSerial, boolean certificateDownload) {
        return switch (signingKey) {
            case PUBLIC_KEY -> publicKeyId;
            case PLATFORM_CERTIFICATE -> certificateSerial;
            // A merchant still on platform certificates names the certificate serial it trusts
            case AS_REQUESTED ->
                certificateDownload || certificateSerial.equalsIgnoreCase(requestedSerial)
                        ? certificateSerial
                        : publicKeyId;
        };
    }

    /** The serial to sign a notification under. */
    String notificationSerial() {
        return signingKey == SigningKey.PLATFORM_CERTIFICATE ? certificateSerial : publicKeyId;
    }

    String publicKeyPem() {
        return SimCrypto.publicKeyPem(keyPair.getPublic());
    }

    String certificateSerial() {
        return certificateSerial;
    }

    X509Certificate certificate() {
        return certificate;
    }

    String certificatePem() {
        try {
            return SimCrypto.pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Headers proving a message came from the platform: signature over {@code timestamp\nnonce\nbody\n}. */
    SignedHeaders sign(String body, String serial) {
        return sign(body, serial, Instant.now().getEpochSecond());
    }

    SignedHeaders sign(String body, String serial, long epochSecond) {
        String timestamp = Long.toString(epochSecond);
        String nonce = SimCrypto.randomAlnum(32);
        String signature = SimCrypto.sign(keyPair.getPrivate(), timestamp + "\n" + nonce + "\n" + body + "\n");
        return new SignedHeaders(timestamp, nonce, signature, serial);
    }

    record SignedHeaders(String timestamp, String nonce, String signature, String serial) {
        static final String SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048";

        SignedHeaders withSignature(String replacement) {
            return new SignedHeaders(timestamp, nonce, replacement, serial);
        }
    }

    private static X509Certificate selfSignedCertificate(KeyPair keyPair) {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=Tenpay.com Root CA Simulator,OU=WeChat Pay Simulator,O=wxpayfn,C=CN");
        BigInteger serial = new BigInteger(1, HexFormat.of().parseHex(SimCrypto.randomHex(40)));
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    subject,
                                    serial,
                                    Date.from(now.minus(1, ChronoUnit.DAYS)),
                                    Date.from(now.plus(365, ChronoUnit.DAYS)),
                                    subject,
                                    keyPair.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
