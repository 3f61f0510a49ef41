// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/exportjob.h"

#include <QCoreApplication>
#include <QString>

#include <optional>
#include <variant>

/// `xeroml-dashboard --export TABLE --format FORMAT --output FILE …`: one export through the
/// same engine as the export dialog (ExportJob), without a window or a QML engine.
namespace HeadlessExport {

/// Whether the command line asks for an export (looked at before any application object
/// exists, so the export runs on a QCoreApplication).
[[nodiscard]] bool requested(int argc, char **argv);

/// What the command line asks for, checked: the table's query and the file options.
struct Request
{
    ExportTable table = ExportTable::Users;
    ExportOptions options;
    std::variant<UsersQuery, TracesQuery, SessionsQuery, ScoresQuery> query;
    QUrl baseUrl;       ///< --base-url (with --public-key); empty otherwise
    QString publicKey;  ///< --public-key
    QString connection; ///< --connection NAME; empty with --base-url or the embedded server
};

/// Parses and checks the arguments (argv[0] first). nullopt and a one-line message when an
/// argument is missing, unknown or malformed.
[[nodiscard]] std::optional<Request> parse(const QStringList &arguments, QString *error);

/// Runs the export the command line asks for and returns the process exit code: 0 when the
/// file is complete, 2 for a bad command line, 1 for any other failure (message on stderr).
[[nodiscard]] int run(QCoreApplication &app);

} // namespace HeadlessExport
