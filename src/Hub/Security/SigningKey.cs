using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using ProductHub.Hub.Infrastructure;

namespace ProductHub.Hub.Security;

/// <summary>
/// The key tokens are signed with: <c>ProductHub:Auth:SigningKey</c> (at least 32 characters), or else a random key
/// kept in <c>{DataDirectory}/auth/signing-key</c>, made on first use, so a development hub and its token command
/// agree with no setup. A deployment sets the key (or rotates it) through configuration.
/// </summary>
public static class SigningKey
{
    public const string Issuer = "producthub";
    public const string Audience = "producthub";
    private const int MinimumLength = 32;
    private const string Setting = "ProductHub:Auth:SigningKey";

    /// <summary>Whether configuration gives the key, rather than a file of this hub's own making.</summary>
    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrEmpty(configuration[Setting]);

    public static SymmetricSecurityKey Resolve(IConfiguration configuration)
    {
        var configured = configuration[Setting];
        if (!string.IsNullOrEmpty(configured))
        {
            if (configured.Length < MinimumLength)
                throw new InvalidOperationException($"ProductHub:Auth:SigningKey must be at least {MinimumLength} characters long.");
            return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configured));
        }
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(FromFile(DataFolder.Of(configuration))));
    }

    private static string FromFile(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "auth", "signing-key");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        // CreateNew: of two processes starting at once, one writes the key and the other reads that one.
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options);
            file.Write(Encoding.UTF8.GetBytes(key));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
    }
}
