using System.ComponentModel.DataAnnotations;

namespace Hotspots.Hosting;

/// <summary>
/// Every setting, its default and its environment variable (prefix HOTSPOTS_) in one place.
/// Relative paths are resolved against the repository root.
/// </summary>
public sealed class HotspotsOptions
{
    /// <summary>HOTSPOTS_DB: Npgsql connection string of the one store.</summary>
    [ConfigurationKeyName("DB"), Required(ErrorMessage = "HOTSPOTS_DB (a PostgreSQL connection string) is required; .ci/up sets it for a local cluster.")]
    public string Db { get; set; } = "";

    /// <summary>
    /// HOTSPOTS_DB_OWNER: the connection string of the role that owns the schema, used only to migrate (and to grant
    /// HOTSPOTS_DB's role what it needs); empty: HOTSPOTS_DB does both, as one role.
    /// </summary>
    [ConfigurationKeyName("DB_OWNER")]
    public string DbOwner { get; set; } = "";

    /// <summary>HOTSPOTS_DATA_DIR: the official data (../shared/data beside the checkout).</summary>
    [ConfigurationKeyName("DATA_DIR")]
    public string DataDir { get; set; } = "../shared/data";

    /// <summary>HOTSPOTS_GIS_DATA_DIR: the team's own authored layers (key-project alignments).</summary>
    [ConfigurationKeyName("GIS_DATA_DIR")]
    public string GisDataDir { get; set; } = "gis-data";

    /// <summary>HOTSPOTS_LOAD_ON_START: load boundaries, official points, projects and sample data on first start.</summary>
    [ConfigurationKeyName("LOAD_ON_START")]
    public bool LoadOnStart { get; set; } = true;

    /// <summary>HOTSPOTS_SAMPLE_COUNT: sample hotspots generated on first start (0 for none).</summary>
    [ConfigurationKeyName("SAMPLE_COUNT"), Range(0, 5_000_000)]
    public int SampleCount { get; set; } = 20_000;

    /// <summary>HOTSPOTS_SAMPLE_SEED: the generator's seed; the same seed gives the same records.</summary>
    [ConfigurationKeyName("SAMPLE_SEED")]
    public int SampleSeed { get; set; } = 20250701;

    /// <summary>HOTSPOTS_FEATURES_DEFAULT_LIMIT and _MAX_LIMIT: how many features one GeoJSON answer holds.</summary>
    [ConfigurationKeyName("FEATURES_DEFAULT_LIMIT"), Range(1, 1_000_000)]
    public int FeaturesDefaultLimit { get; set; } = 2_000;

    [ConfigurationKeyName("FEATURES_MAX_LIMIT"), Range(1, 1_000_000)]
    public int FeaturesMaxLimit { get; set; } = 20_000;

    /// <summary>HOTSPOTS_RESPONSE_CACHE_MB: memory for tiles and GeoJSON already made for the current data version (0: no cache).</summary>
    [ConfigurationKeyName("RESPONSE_CACHE_MB"), Range(0, 65_536)]
    public int ResponseCacheMb { get; set; } = 256;

    /// <summary>HOTSPOTS_BASEMAP_URL: a raster base-map tile URL template ({z}/{x}/{y}, {s} for subdomains); it wins over a file.</summary>
    [ConfigurationKeyName("BASEMAP_URL")]
    public string BaseMapUrl { get; set; } = "";

    /// <summary>HOTSPOTS_BASEMAP_ATTRIBUTION: the base map's attribution, shown on the map (a file's own attribution is used when empty).</summary>
    [ConfigurationKeyName("BASEMAP_ATTRIBUTION")]
    public string BaseMapAttribution { get; set; } = "";

    /// <summary>
    /// HOTSPOTS_BASEMAP_FILE: an MBTiles file of vector tiles in the OpenMapTiles schema (tilemaker makes one from an
    /// OpenStreetMap extract; README), served by this site at /basemap/{z}/{x}/{y}.mvt. Empty: the built-in default.
    /// </summary>
    [ConfigurationKeyName("BASEMAP_FILE")]
    public string BaseMapFile { get; set; } = "";

    /// <summary>HOTSPOTS_EMBED_ORIGINS: origins (space- or comma-separated) allowed to frame /embed, besides this site.</summary>
    [ConfigurationKeyName("EMBED_ORIGINS")]
    public string EmbedOrigins { get; set; } = "";

    /// <summary>HOTSPOTS_PUBLIC_RATE_PER_SECOND and _BURST: the public API's token bucket per client address.</summary>
    [ConfigurationKeyName("PUBLIC_RATE_PER_SECOND"), Range(1, 1_000_000)]
    public int PublicRatePerSecond { get; set; } = 50;

    [ConfigurationKeyName("PUBLIC_RATE_BURST"), Range(1, 1_000_000)]
    public int PublicRateBurst { get; set; } = 400;

    /// <summary>HOTSPOTS_PDF_CHROMIUM: the headless Chromium that prints reports and posters to PDF (empty: no PDF; the printable pages stay).</summary>
    [ConfigurationKeyName("PDF_CHROMIUM")]
    public string PdfChromium { get; set; } = "/usr/bin/chromium";

    /// <summary>HOTSPOTS_PUBLIC_URL: the address the public reaches this site at (the poster's QR code); empty: the request's own.</summary>
    [ConfigurationKeyName("PUBLIC_URL")]
    public string PublicUrl { get; set; } = "";

    /// <summary>
    /// HOTSPOTS_TRUSTED_PROXIES: the reverse proxies (addresses or networks, "10.0.0.5, 10.0.1.0/24") whose
    /// X-Forwarded-For and X-Forwarded-Proto are believed; empty: none, and those headers are ignored.
    /// </summary>
    [ConfigurationKeyName("TRUSTED_PROXIES")]
    public string TrustedProxies { get; set; } = "";

    /// <summary>
    /// HOTSPOTS_NODE_NAME: this app node's name among several behind a balancer, sent in every answer's X-Served-By
    /// (which node a browser is kept on, read in the balancer's logs and the cluster tests); empty: not sent.
    /// </summary>
    [ConfigurationKeyName("NODE_NAME")]
    public string NodeName { get; set; } = "";

    /// <summary>Whether the public address is https: then cookies are Secure and answers carry HSTS.</summary>
    public bool PublicUrlIsHttps => PublicUrl.Trim().StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// HOTSPOTS_KEYS_CERT and _KEYS_CERT_PASSWORD: a PKCS#12 (.pfx) certificate whose key encrypts the Data Protection
    /// keys at rest (every node is given the same); empty: the keys are stored unencrypted, with a warning at start.
    /// </summary>
    [ConfigurationKeyName("KEYS_CERT")]
    public string KeysCert { get; set; } = "";

    [ConfigurationKeyName("KEYS_CERT_PASSWORD")]
    public string KeysCertPassword { get; set; } = "";

    /// <summary>HOTSPOTS_OPEN311_RATE_PER_SECOND and _BURST: each Open311 client system's token bucket for new reports (429 beyond it).</summary>
    [ConfigurationKeyName("OPEN311_RATE_PER_SECOND"), Range(1, 100_000)]
    public int Open311RatePerSecond { get; set; } = 300;

    [ConfigurationKeyName("OPEN311_RATE_BURST"), Range(1, 100_000)]
    public int Open311RateBurst { get; set; } = 600;

    /// <summary>HOTSPOTS_IMPORT_MAX_MB: the largest import file accepted.</summary>
    [ConfigurationKeyName("IMPORT_MAX_MB"), Range(1, 2048)]
    public int ImportMaxMb { get; set; } = 100;

    /// <summary>HOTSPOTS_ATTACHMENT_MAX_MB: the largest photo or PDF accepted on a record or field report.</summary>
    [ConfigurationKeyName("ATTACHMENT_MAX_MB"), Range(1, 100)]
    public int AttachmentMaxMb { get; set; } = 10;

    /// <summary>HOTSPOTS_ATTACHMENTS_PER_RECORD: how many photos and files one record or field report may hold.</summary>
    [ConfigurationKeyName("ATTACHMENTS_PER_RECORD"), Range(1, 100)]
    public int AttachmentsPerRecord { get; set; } = 10;

    /// <summary>HOTSPOTS_SMTP_HOST: the mail server alerts are sent through (empty: no email; webhooks still go).</summary>
    [ConfigurationKeyName("SMTP_HOST")]
    public string SmtpHost { get; set; } = "";

    /// <summary>HOTSPOTS_SMTP_PORT: its port (587 for STARTTLS, 465 for TLS, 25 inside a network).</summary>
    [ConfigurationKeyName("SMTP_PORT"), Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>HOTSPOTS_SMTP_TLS: none, starttls or tls.</summary>
    [ConfigurationKeyName("SMTP_TLS"), RegularExpression("^(none|starttls|tls)$")]
    public string SmtpTls { get; set; } = "starttls";

    /// <summary>HOTSPOTS_SMTP_USER and HOTSPOTS_SMTP_PASSWORD: the account, when the server asks for one.</summary>
    [ConfigurationKeyName("SMTP_USER")]
    public string SmtpUser { get; set; } = "";

    [ConfigurationKeyName("SMTP_PASSWORD")]
    public string SmtpPassword { get; set; } = "";

    /// <summary>HOTSPOTS_SMTP_FROM: the sender alerts come from.</summary>
    [ConfigurationKeyName("SMTP_FROM")]
    public string SmtpFrom { get; set; } = "hotspots@localhost";

    /// <summary>HOTSPOTS_ALERT_DIGEST_HOUR: the Hanoi hour the daily digest is sent at.</summary>
    [ConfigurationKeyName("ALERT_DIGEST_HOUR"), Range(0, 23)]
    public int AlertDigestHour { get; set; } = 7;

    /// <summary>HOTSPOTS_IMPORT_FOLDER: files dropped in {folder}/{layer}/ are imported on the pick-up schedule (empty: off).</summary>
    [ConfigurationKeyName("IMPORT_FOLDER")]
    public string ImportFolder { get; set; } = "";

    /// <summary>HOTSPOTS_IMPORT_URLS: layer=url pairs (;-separated) fetched on the pick-up schedule, imported when changed.</summary>
    [ConfigurationKeyName("IMPORT_URLS")]
    public string ImportUrls { get; set; } = "";

    /// <summary>HOTSPOTS_REPORT_WAIT_HOURS: a field report still new after this long is flagged in triage.</summary>
    [ConfigurationKeyName("REPORT_WAIT_HOURS"), Range(1, 24 * 30)]
    public int ReportWaitHours { get; set; } = 48;

    /// <summary>HOTSPOTS_IMPORT_STALL_MINUTES: a queued or running import that has not moved for this long is flagged.</summary>
    [ConfigurationKeyName("IMPORT_STALL_MINUTES"), Range(1, 1440)]
    public int ImportStallMinutes { get; set; } = 10;

    /// <summary>HOTSPOTS_IMPORT_PICKUP_SECONDS: how often the folder and URLs are looked at.</summary>
    [ConfigurationKeyName("IMPORT_PICKUP_SECONDS"), Range(1, 86_400)]
    public int ImportPickupSeconds { get; set; } = 60;

    /// <summary>HOTSPOTS_DIAGNOSTICS: serve /health/memory (forces a full GC; for the dashboard benchmark, never in production).</summary>
    [ConfigurationKeyName("DIAGNOSTICS")]
    public bool Diagnostics { get; set; }

    /// <summary>The address the public reaches this site at: HOTSPOTS_PUBLIC_URL, else the one a request came in by.</summary>
    public string PublicSite(string requestBase) => string.IsNullOrWhiteSpace(PublicUrl) ? requestBase.TrimEnd('/') : PublicUrl.Trim().TrimEnd('/');

    /// <summary>Whether a public address is configured (else links made for other sites point at this host).</summary>
    public bool HasPublicUrl => !string.IsNullOrWhiteSpace(PublicUrl);

    public string DataPath(string root, string file) => Path.GetFullPath(Path.Combine(root, DataDir, file));

    /// <summary>HOTSPOTS_ADMIN_EMAIL and _PASSWORD: the first admin, created on a start that finds none (a weak password is refused).</summary>
    [ConfigurationKeyName("ADMIN_EMAIL")]
    public string AdminEmail { get; set; } = "";

    [ConfigurationKeyName("ADMIN_PASSWORD")]
    public string AdminPassword { get; set; } = "";

    /// <summary>HOTSPOTS_TOKEN_DAYS: how long an API token lives.</summary>
    [ConfigurationKeyName("TOKEN_DAYS"), Range(1, 3650)]
    public int TokenDays { get; set; } = 90;

    /// <summary>
    /// HOTSPOTS_LOCKOUT_ATTEMPTS: failed sign-ins of one email from one address that lock it there; _ADDRESS_ATTEMPTS:
    /// of any emails from one address; _ACCOUNT_ATTEMPTS: of one email from any address (not holding addresses it
    /// signed in from before); _MINUTES: the first lock, doubled each time it is reached again within a day.
    /// </summary>
    [ConfigurationKeyName("LOCKOUT_ATTEMPTS"), Range(1, 100)]
    public int LockoutAttempts { get; set; } = 5;

    [ConfigurationKeyName("LOCKOUT_ADDRESS_ATTEMPTS"), Range(1, 10_000)]
    public int LockoutAddressAttempts { get; set; } = 30;

    [ConfigurationKeyName("LOCKOUT_ACCOUNT_ATTEMPTS"), Range(1, 10_000)]
    public int LockoutAccountAttempts { get; set; } = 20;

    [ConfigurationKeyName("LOCKOUT_MINUTES"), Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;
}
