// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import XeroML.Dashboard
import XeroML.Test

// The settings popup over the real test server: the local server's keys for SDKs, adding a
// connection with Test connection (a wrong key says so), the "no keychain" file choice, editing
// without retyping the secret, keyboard use (Tab order, Enter saves, Escape closes).
Item {
    id: root
    width: 1280
    height: 800

    SettingsPopup {
        id: settings
    }

    SignalSpy {
        id: tested
        target: AppContext
        signalName: "connectionTested"
    }
    SignalSpy {
        id: saved
        target: AppContext.connections
        signalName: "saveFinished"
    }

    SignalSpy {
        id: switched
        target: AppContext
        signalName: "switchRequested"
    }

    TestCase {
        name: "Settings"
        when: windowShown

        function child(name) {
            let item = null;
            tryVerify(() => (item = findChild(settings.contentItem, name)) !== null, 5000, name);
            return item;
        }
        function page() {
            return child("settingsPage");
        }
        function typeInto(field, text) {
            field.forceActiveFocus();
            field.text = text;
        }
        function waitTested() {
            tryVerify(() => tested.count > 0, 15000, "Test connection answers");
        }
        function show(baseUrl) {
            settings.show(baseUrl);
            tryVerify(() => settings.opened, 5000);
            return page();
        }

        function cleanup() {
            settings.close();
            tryVerify(() => !settings.visible, 5000);
            for (const name of AppContext.connections.names.slice(1))
                AppContext.connections.remove(name);
            tested.clear();
            saved.clear();
        }

        function test_1_localServerKeysForSdks() {
            const p = show("");
            verify(p.showingLocal, "Settings opens on the local server, with its keys");
            const url = child("localBaseUrl");
            compare(url.text, AppContext.localBaseUrl);
            verify(url.text.startsWith("http://127.0.0.1:"));
            compare(child("localPublicKey").text, AppContext.localPublicKey);
            const secret = child("localSecretKey");
            const key = AppContext.localSecretKey();
            verify(key.length > 0);
            verify(secret.text.indexOf(key) < 0, "the secret key is masked");
            mouseClick(child("revealSecretKey"));
            compare(secret.text, key, "Show reveals it");
            mouseClick(child("revealSecretKey"));
            verify(secret.text.indexOf(key) < 0, "Hide masks it again");
            mouseClick(child("copySecretKey"));
            tryVerify(() => child("copiedLabel").visible);
            verify(child("copiedLabel").text.indexOf("LANGFUSE_SECRET_KEY") >= 0);
            compare(TestFiles.clipboardText(), key);
            mouseClick(child("copyBaseUrl"));
            compare(TestFiles.clipboardText(), AppContext.localBaseUrl);
            mouseClick(child("copyPublicKey"));
            compare(TestFiles.clipboardText(), AppContext.localPublicKey);
            mouseClick(child("copyEnvironment"));
            compare(TestFiles.clipboardText(), "export LANGFUSE_BASE_URL=" + AppContext.localBaseUrl + "\n"
                    + "export LANGFUSE_PUBLIC_KEY=" + AppContext.localPublicKey + "\n"
                    + "export LANGFUSE_SECRET_KEY=" + key + "\n");
            // Closing forgets the reveal: the next visit starts masked.
            mouseClick(child("revealSecretKey"));
            compare(secret.text, key);
            settings.close();
            tryVerify(() => !settings.visible, 5000);
            show("");
            verify(child("localSecretKey").text.indexOf(key) < 0, "masked again");
            // The three values really open the server, as an SDK would use them.
            AppContext.testConnection(url.text, child("localPublicKey").text, key, "");
            waitTested();
            verify(tested.signalArguments[0][0], tested.signalArguments[0][1]);
        }

        function test_2_addConnectionTestAndSave() {
            const p = show("");
            mouseClick(child("addSelfHosted"));
            verify(!p.showingLocal);
            const name = child("connectionName");
            tryVerify(() => name.activeFocus, 2000, "the name field takes the focus");
            typeInto(name, "Staging");
            typeInto(child("connectionUrl"), AppContext.localBaseUrl);
            typeInto(child("connectionPublicKey"), AppContext.localPublicKey);
            typeInto(child("connectionSecretKey"), "sk-wrong");

            mouseClick(child("testConnection"));
            waitTested();
            verify(!tested.signalArguments[0][0]);
            const status = child("connectionStatus");
            verify(status.visible);
            verify(!p.editor.statusOk);
            verify(status.text.indexOf("rejected the API keys") >= 0, status.text);

            tested.clear();
            typeInto(child("connectionSecretKey"), AppContext.localSecretKey());
            mouseClick(child("testConnection"));
            waitTested();
            verify(tested.signalArguments[0][0], tested.signalArguments[0][1]);
            verify(p.editor.statusOk);
            verify(status.text.indexOf(AppContext.projectId) >= 0, "names the project: " + status.text);

            mouseClick(child("saveConnection"));
            tryVerify(() => saved.count > 0, 20000);
            // No session bus in this test: the keychain cannot keep the key, and nothing is
            // saved until the user picks the file.
            verify(saved.signalArguments[0][1].length > 0);
            verify(p.editor.keychainMissing);
            compare(AppContext.connections.indexOf("Staging"), -1);
            verify(!p.editor.statusOk);
            const inFile = child("storeInFile");
            tryVerify(() => inFile.visible);
            mouseClick(inFile);
            tryVerify(() => saved.count > 1, 20000);
            compare(saved.signalArguments[1][1], "");
            verify(AppContext.connections.indexOf("Staging") > 0);
            verify(p.editor.statusOk);
            compare(p.connectionList.currentIndex, AppContext.connections.indexOf("Staging"));

            // Editing: the stored key is used without retyping it, and a rename keeps it.
            p.edit("Staging", AppContext.localBaseUrl, AppContext.localPublicKey, "", "");
            compare(child("connectionSecretKey").text, "");
            tested.clear();
            mouseClick(child("testConnection"));
            waitTested();
            verify(tested.signalArguments[0][0], "the stored secret key opens it: " + tested.signalArguments[0][1]);
            typeInto(child("connectionName"), "Staging 2");
            saved.clear();
            mouseClick(child("saveConnection"));
            tryVerify(() => saved.count > 0, 20000);
            compare(saved.signalArguments[0][1], "");
            compare(AppContext.connections.indexOf("Staging"), -1);
            verify(AppContext.connections.indexOf("Staging 2") > 0);
        }

        function test_3_badInputSaysWhy() {
            const p = show("");
            mouseClick(child("addSelfHosted"));
            typeInto(child("connectionName"), "Broken");
            typeInto(child("connectionUrl"), "ftp://example.org");
            typeInto(child("connectionPublicKey"), "pk-x");
            typeInto(child("connectionSecretKey"), "sk-x");
            mouseClick(child("testConnection"));
            waitTested();
            verify(!tested.signalArguments[0][0]);
            verify(p.editor.statusText.indexOf("https://") >= 0, p.editor.statusText);
            mouseClick(child("saveConnection"));
            tryVerify(() => saved.count > 0, 5000);
            verify(!p.editor.statusOk);
            verify(p.editor.statusText.indexOf("https://") >= 0, p.editor.statusText);
            compare(AppContext.connections.indexOf("Broken"), -1, "nothing saved");

            typeInto(child("connectionUrl"), "http://example.org");
            saved.clear();
            mouseClick(child("saveConnection"));
            tryVerify(() => saved.count > 0, 5000);
            verify(p.editor.statusText.indexOf("only for servers on this computer") >= 0, p.editor.statusText);
        }

        function test_4_keyboard() {
            const p = show("https://links.example.org");
            verify(!p.showingLocal, "an address from a link opens the editor");
            const name = child("connectionName");
            const url = child("connectionUrl");
            tryVerify(() => name.activeFocus, 2000);
            compare(url.text, "https://links.example.org");
            compare(name.text, "links.example.org", "the host is offered as the name");
            keyClick(Qt.Key_Tab);
            verify(url.activeFocus, "Tab: name → address");
            keyClick(Qt.Key_Tab);
            verify(child("connectionPublicKey").activeFocus, "Tab: address → public key");
            keyClick(Qt.Key_Tab);
            const secret = child("connectionSecretKey");
            verify(secret.activeFocus, "Tab: public key → secret key");
            // Enter saves; without a public key it says what is missing, and keeps the popup.
            keyClick(Qt.Key_Return);
            tryVerify(() => saved.count > 0, 5000);
            verify(p.editor.statusText.indexOf("public key") >= 0, p.editor.statusText);
            verify(settings.opened);
            keyClick(Qt.Key_Escape);
            tryVerify(() => !settings.visible, 5000, "Escape closes Settings");
        }

        function test_5_connectionAddedForALinkOpensIt() {
            // A link to a server with no connection: no request, an offer to add one.
            const problem = AppContext.openLink("https://team.example.org/project/p1/users/u%2F1");
            verify(problem.indexOf("No connection is set up for team.example.org") >= 0, problem);
            compare(AppContext.offeredBaseUrl, "https://team.example.org");
            const p = show(AppContext.offeredBaseUrl);
            compare(child("connectionUrl").text, "https://team.example.org");
            typeInto(child("connectionPublicKey"), "pk-team");
            typeInto(child("connectionSecretKey"), "sk-team");
            switched.clear();
            child("connectionSecretKey").forceActiveFocus();
            keyClick(Qt.Key_Return);
            const inFile = child("storeInFile");
            tryVerify(() => inFile.visible, 20000);
            mouseClick(inFile);
            // Saved: Settings closes and the link goes to the new connection.
            tryVerify(() => !settings.visible, 20000, "Settings closes to show the link");
            compare(switched.count, 1);
            compare(switched.signalArguments[0][0], "team.example.org");
            compare(AppContext.offeredBaseUrl, "");
            AppContext.switchConnection("Test server");
            compare(AppContext.currentConnection, "Test server");
        }
    }
}
