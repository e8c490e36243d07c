package dev.sluice.gateway;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the RSA or EC public key of {@code jwt.public-key-file}: a PEM {@code PUBLIC KEY}
 * (SubjectPublicKeyInfo, what {@code openssl pkey -pubout} writes) or a PEM {@code CERTIFICATE}.
 */
final class PemKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemKeys() {}

  static PublicKey read(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new RateLimitConfigException(
          "jwt.public-key-file cannot be read, was \"" + file + "\": " + e, e);
    }
    Matcher m = BLOCK.matcher(pem);
    if (!m.find()) {
      throw refused(file, "no PEM block", null);
    }
    String type = m.group(1);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw refused(file, "a PEM block that is not base64", e);
    }
    try {
      return switch (type) {
        case "PUBLIC KEY" -> publicKey(der, file);
        case "CERTIFICATE" ->
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der))
                .getPublicKey();
        default -> throw refused(file, "a " + type + " block", null);
      };
    } catch (GeneralSecurityException e) {
      throw refused(file, "a " + type + " block that cannot be decoded", e);
    }
  }

  private static PublicKey publicKey(byte[] der, Path file) throws GeneralSecurityException {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw refused(file, "a PUBLIC KEY that is neither RSA nor EC", last);
  }

  private static RateLimitConfigException refused(
      Path file, String found, @Nullable Exception cause) {
    return new RateLimitConfigException(
        "jwt.public-key-file must hold a PEM RSA or EC PUBLIC KEY or CERTIFICATE, found "
            + found
            + " in \""
            + file
            + "\"",
        cause);
  }
}
