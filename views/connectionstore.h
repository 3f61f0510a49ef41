// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/connection.h"

#include <QAbstractListModel>
#include <QLoggingCategory>
#include <QQmlEngine>
#include <QUrl>

#include <functional>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcConnections)

struct DeepLink;

/// A saved connection without its secret: what QSettings holds.
struct SavedConnection
{
    QString id;                ///< stable key of the secret (survives renames)
    QString name;              ///< unique, shown to people and used by --connection NAME
    QUrl baseUrl;              ///< https://… (http:// only to loopback)
    QString publicKey;         ///< pk-… (not a secret)
    QString projectId;         ///< from the last successful test, for deep links
    QString projectName;       ///< idem
    bool secretInFile = false; ///< the user chose the 0600 file because no keychain runs
};

/// The saved connections (metadata in QSettings, secret keys in the OS keychain through
/// qtkeychain, or — only when the user chose it because no keychain service runs — in a
/// file under the XDG config dir with mode 0600). Row 0 is the embedded local server.
class ConnectionStore : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("AppContext.connections")
    /// Every connection's name, the local server's first ("Local server").
    Q_PROPERTY(QStringList names READ names NOTIFY namesChanged)
    /// Where file-stored secret keys go (shown to the user before they choose it).
    Q_PROPERTY(QString secretsDirectory READ secretsDirectory CONSTANT)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        BaseUrlRole,
        PublicKeyRole,
        ProjectIdRole,
        ProjectNameRole,
        SecretInFileRole,
        BuiltInRole,
    };

    explicit ConnectionStore(QObject *parent = nullptr);

    /// The name row 0 has.
    [[nodiscard]] static QString localServerName();

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QStringList names() const;
    [[nodiscard]] QString secretsDirectory() const;
    [[nodiscard]] std::optional<SavedConnection> find(const QString &name) const;
    /// The saved connection whose base URL serves the link, if any.
    [[nodiscard]] std::optional<SavedConnection> findFor(const DeepLink &link) const;
    [[nodiscard]] QList<SavedConnection> connections() const { return m_connections; }

    /// Saves (adds, or replaces `originalName`) and stores the secret key. When the keychain
    /// fails and `secretInFile` is false, nothing is saved and saveFinished() says so with
    /// keychainMissing = true, so the UI can offer the file. An empty `secretKey` keeps the
    /// stored one (editing without retyping it).
    Q_INVOKABLE void save(const QString &originalName, const QString &name, const QString &baseUrl,
                          const QString &publicKey, const QString &secretKey,
                          const QString &projectId, const QString &projectName, bool secretInFile);
    /// Forgets the connection and deletes its secret key.
    Q_INVOKABLE void remove(const QString &name);
    /// Checks a base URL as a connection's: http(s), a host, http only to loopback. Empty
    /// when fine, else why not.
    Q_INVOKABLE QString validateBaseUrl(const QString &baseUrl) const;
    /// Index of `name` in names (for combo boxes), -1 when unknown.
    Q_INVOKABLE int indexOf(const QString &name) const;

    /// Reads the connection with its secret key; `done` gets the connection or an error.
    void load(const QString &name,
              std::function<void(const Connection &, const QString &error)> done) const;

Q_SIGNALS:
    void namesChanged();
    void saveFinished(const QString &name, const QString &error, bool keychainMissing);

private:
    void readSettings();
    void writeSettings() const;
    [[nodiscard]] QString secretFilePath(const QString &id) const;
    bool writeSecretFile(const QString &id, const QString &secret, QString *error) const;
    void finishSave(const SavedConnection &entry, const QString &originalName);

    QList<SavedConnection> m_connections;
};
