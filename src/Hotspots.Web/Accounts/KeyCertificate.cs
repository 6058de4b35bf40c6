using System.Security.Cryptography.X509Certificates;

namespace Hotspots.Accounts;

/// <summary>The certificate that encrypts the Data Protection keys (HOTSPOTS_KEYS_CERT), read once at start.</summary>
public static class KeyCertificate
{
    /// <summary>The certificate, or null when none is configured; a configured one that cannot be read stops the start.</summary>
    public static X509Certificate2? Load(IConfiguration configuration)
    {
        var path = configuration["KEYS_CERT"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["KEYS_CERT_PASSWORD"], X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException($"HOTSPOTS_KEYS_CERT ({path}) holds no private key: the keys could be written but never read back.");
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"HOTSPOTS_KEYS_CERT ({path}) cannot be read: {e.Message} (is HOTSPOTS_KEYS_CERT_PASSWORD right?)", e);
        }
    }
}
