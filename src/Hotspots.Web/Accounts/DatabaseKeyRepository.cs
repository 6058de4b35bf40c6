using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Hotspots.Accounts;

/// <summary>
/// Data Protection's key ring in PostgreSQL, so cookies survive restarts and every node reads the same keys.
/// Written by hand: the EF Core key store package would bring EF Core for one table.
/// </summary>
public sealed class DatabaseKeyRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var cmd = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
        using var r = cmd.ExecuteReader();
        var list = new List<XElement>();
        while (r.Read())
        {
            list.Add(XElement.Parse(r.GetString(0)));
        }
        return list;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var cmd = dataSource.CreateCommand("INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml) ON CONFLICT (friendly_name) DO NOTHING");
        cmd.Parameters.AddWithValue("name", friendlyName);
        cmd.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        cmd.ExecuteNonQuery();
    }
}
