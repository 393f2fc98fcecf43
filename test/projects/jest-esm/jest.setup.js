import 'twilio-double/jest'
