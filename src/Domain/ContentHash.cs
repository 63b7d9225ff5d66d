using System.Security.Cryptography;
using System.Text;

namespace ProductHub.Domain;

public static class ContentHash
{
    /// <summary>Lowercase hex SHA-256 of the text's UTF-8 bytes: the hub's fingerprint of content.</summary>
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
