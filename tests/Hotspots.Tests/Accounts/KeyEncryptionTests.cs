using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hotspots.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Hotspots.Tests.Accounts;

/// <summary>
/// Issue 15, item 9: the Data Protection keys (which sign the sign-in cookie) lie in the database encrypted with a
/// certificate given by configuration: a reader of the table learns nothing, a node with the certificate reads what
/// another protected, a node without it cannot.
/// </summary>
[Trait("Category", "Database")]
public sealed class KeyEncryptionTests : IAsyncLifetime
{
    private string _db = "";
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"hotspots-keys-{Guid.NewGuid():N}.pfx");
    private const string PfxPassword = "Mật-khẩu-chứng-thư-2026";

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hotspots_keys");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Hotspots data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        await File.WriteAllBytesAsync(_pfx, certificate.Export(X509ContentType.Pfx, PfxPassword));
    }

    public Task DisposeAsync()
    {
        File.Delete(_pfx);
        return Task.CompletedTask;
    }

    private WebApplicationFactory<Program> Node(bool withCertificate) => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseSetting("DB", _db);
        b.UseSetting("LOAD_ON_START", "false");
        if (withCertificate)
        {
            b.UseSetting("KEYS_CERT", _pfx);
            b.UseSetting("KEYS_CERT_PASSWORD", PfxPassword);
        }
    });

    [Fact]
    public async Task Keys_are_stored_encrypted_and_only_a_node_with_the_certificate_reads_them()
    {
        string secret;
        await using (var first = Node(withCertificate: true))
        {
            secret = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("Hà Nội");
            await using var cmd = first.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT string_agg(xml, '') FROM data_protection_keys");
            var stored = (string)(await cmd.ExecuteScalarAsync())!;
            Assert.Contains("EncryptedData", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", stored, StringComparison.Ordinal); // the master key in clear, as it was
        }
        await using (var second = Node(withCertificate: true))
        {
            Assert.Equal("Hà Nội", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
        }
        await using var stranger = Node(withCertificate: false);
        Assert.ThrowsAny<CryptographicException>(() => stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
    }

    [Fact]
    public void A_certificate_that_cannot_be_read_stops_the_start_and_says_why()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KEYS_CERT"] = _pfx, ["KEYS_CERT_PASSWORD"] = "sai",
        }).Build();
        var e = Assert.Throws<InvalidOperationException>(() => Hotspots.Accounts.KeyCertificate.Load(configuration));
        Assert.Contains("HOTSPOTS_KEYS_CERT_PASSWORD", e.Message, StringComparison.Ordinal);
    }
}
