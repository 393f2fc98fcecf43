// Placeholder, completed by the jest preset work.
module.exports = {}
