// What the README's Kotlin statement blocks take from the app around them
// (scripts/readme_kotlin.py wraps each block in `fun readmeBlockN()`), with
// the types an Android app would give them, so that `make uniffi-test`
// compiles and runs every block. They record what the blocks do with them.

/** The text a QR scanner read. */
var qrText: String = "otpauth://totp/ACME:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME"

/** The user at the enrolment screen: the code they type, having seen
 *  `shownQrCodes`. The tests set it (an authenticator that scans the last
 *  QR code shown, or a user who types a wrong code). */
var typeCode: () -> String = { "000000" }

/** The code the user typed into the enrolment screen. */
val typedCode: String get() = typeCode()

/** android.widget.TextView, as far as the README uses it. */
class TextViewStub {
    var text: CharSequence = ""
}

val codeView = TextViewStub()
val labelView = TextViewStub()

/** The QR codes (PNG) the blocks showed, in order. */
val shownQrCodes = mutableListOf<ByteArray>()

fun showQrCode(png: ByteArray) {
    shownQrCodes.add(png)
}

/** The errors the blocks showed, in order. */
val shownErrors = mutableListOf<String>()

fun showError(message: String) {
    shownErrors.add(message)
}

/** What the enrolment block stored. */
data class Enrolment(val secret: String, val lastStep: Long, val drift: Long)

var savedEnrolment: Enrolment? = null

fun saveEnrolment(secret: String, lastStep: Long, drift: Long) {
    savedEnrolment = Enrolment(secret, lastStep, drift)
}

/** The texts of the QR codes of a Google Authenticator export, as scanned:
 *  by default the sample export published in dim13/otpauth's README (one
 *  account, an 80-bit secret). */
var scannedExportQrCodes: List<String> =
    listOf("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC")

/** The accounts the import block saved, in order. */
val savedAccounts = mutableListOf<MovedAccount>()

fun saveAccount(account: MovedAccount) {
    savedAccounts.add(account)
}
