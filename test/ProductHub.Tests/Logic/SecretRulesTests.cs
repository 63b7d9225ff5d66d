using Microsoft.Extensions.Configuration;
using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Secrets;
using ProductHub.Domain.Webhooks;
using ProductHub.Hub.Security.Secrets;

namespace ProductHub.Tests.Logic;

/// <summary>The upcasters of the first configuration shapes, and where the Data Protection keys go.</summary>
public sealed class SecretRulesTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 3, 1, 8, 0);
    private static readonly DeliveryRetry Retry = new(3, [Duration.FromSeconds(1)]);
    private static readonly ErpMapping Mapping = new("v2", new Dictionary<string, string> { ["partNumber"] = "MATNR" },
        new Dictionary<string, string>(), new Dictionary<string, string>());

    [Fact]
    public void an_erp_instance_of_the_first_shape_keeps_everything_but_its_auth_header()
    {
        var v1 = new ErpInstanceConfiguredV1("erp-p100", ErpChannel.Http, new HttpChannelSettingsV1("https://erp/items", "Bearer S3CRET", 12),
            null, null, Mapping, Retry, At);

        var redacted = v1.Redacted();

        redacted.ShouldBe(new ErpInstanceConfigured("erp-p100", ErpChannel.Http,
            new HttpChannelSettings("https://erp/items", new SecretReference(SecretSource.Stored, null, null), 12), null, null, Mapping, Retry, At));
    }

    [Theory, InlineData(null), InlineData("")]
    public void no_auth_header_in_the_first_shape_is_none_after_it(string? authHeader)
    {
        new ErpInstanceConfiguredV1("erp-p100", ErpChannel.Http, new HttpChannelSettingsV1("https://erp/items", authHeader, 12), null, null,
            Mapping, Retry, At).Redacted().Http!.AuthHeaderSecret.ShouldBeNull();
        new WebhookConfiguredV1("mes", "https://mes/hook", authHeader, null, [], 0, Retry, At).Redacted().AuthHeaderSecret.ShouldBeNull();
    }

    [Fact]
    public void a_file_channel_instance_of_the_first_shape_reads_the_same()
    {
        var file = new FileChannelSettings("/erp/out", "/erp/ack", FileFormat.Csv);

        new ErpInstanceConfiguredV1("erp-p200", ErpChannel.File, null, file, null, Mapping, Retry, At).Redacted()
            .ShouldBe(new ErpInstanceConfigured("erp-p200", ErpChannel.File, null, file, null, Mapping, Retry, At));
    }

    [Fact]
    public void a_webhook_of_the_first_shape_keeps_everything_but_its_auth_header()
    {
        var redacted = new WebhookConfiguredV1("mes", "https://mes/hook", "Bearer S3CRET", null, ["RevisionReleased"], 42, Retry, At).Redacted();

        redacted.ShouldBeEquivalentTo(new WebhookConfigured("mes", "https://mes/hook", new SecretReference(SecretSource.Stored, null, null), null,
            ["RevisionReleased"], 42, Retry, At));
    }

    [Fact, System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void the_keys_go_to_the_data_folder_in_a_folder_only_the_hubs_user_may_enter()
    {
        var data = Path.Combine(Path.GetTempPath(), "producthub-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            var keys = Configuration.KeysDirectory(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["ProductHub:DataDirectory"] = data }).Build());

            keys.FullName.ShouldBe(Path.Combine(data, "keys"));
            File.GetUnixFileMode(keys.FullName).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // The data folder stays open to the postgres OS user, which runs the hub's own cluster in it.
            File.GetUnixFileMode(data).HasFlag(UnixFileMode.OtherExecute).ShouldBeTrue();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
